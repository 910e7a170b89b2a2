// SPDX-License-Identifier: GPL-2.0
/*
 * A kbuddy layout as the real code's machine, and the build for it.
 */
#include <stdio.h>
#include <string.h>

#include "machine.h"

void real_machine_from_layout(const struct kb_layout *layout, struct real_machine *m)
{
	memset(m, 0, sizeof(*m));
	m->max_order = layout->max_page_order;
	m->pb_order = layout->pageblock_order;
	m->nr_nodes = layout->nr_nodes;
	for (unsigned int n = 0; n < layout->nr_nodes && n < REAL_MAX_NODES; n++) {
		for (int z = 0; z < REAL_NR_ZONES && z < MAX_NR_ZONES; z++) {
			m->node[n].zone[z].start = layout->node[n].zone[z].start;
			m->node[n].zone[z].end = layout->node[n].zone[z].end;
		}
		m->node[n].nr_cpus = layout->node[n].nr_cpus;
		for (unsigned int o = 0; o < REAL_MAX_NODES && o < KB_MAX_NODES; o++)
			m->node[n].distance[o] = layout->node[n].distance[o];
	}
	m->nr_holes = layout->nr_holes;
	m->nr_reserved = layout->nr_reserved;
	m->nr_cma = layout->nr_cma;
	for (unsigned int i = 0; i < KB_MAX_RANGES && i < REAL_MAX_RANGES; i++) {
		m->hole[i] = (struct real_range){ layout->hole[i].start, layout->hole[i].end };
		m->reserved[i] = (struct real_range){ layout->reserved[i].start, layout->reserved[i].end };
		m->cma[i] = (struct real_range){ layout->cma[i].start, layout->cma[i].end };
	}
	m->min_free_kbytes = layout->min_free_kbytes;
	m->bootmem = layout->boot_path == KB_BOOT_BOOTMEM;
}

const struct real_ops *real_build_for(const struct kb_layout *layout, char *err, size_t errlen)
{
	char have[128] = "";
	size_t used = 0;

	for (const struct real_ops *const *b = real_builds; *b; b++) {
		if ((*b)->max_order == layout->max_page_order &&
		    (*b)->pb_order == layout->pageblock_order)
			return *b;
		used += (size_t)snprintf(have + used, used < sizeof(have) ? sizeof(have) - used : 0,
					 "%s%u:%u", used ? " " : "", (*b)->max_order,
					 (*b)->pb_order);
	}
	snprintf(err, errlen,
		 "no real build for MAX_PAGE_ORDER %u, pageblock_order %u (built: %s; add it to REAL_GEOMETRIES)",
		 layout->max_page_order, layout->pageblock_order, have);
	return NULL;
}
