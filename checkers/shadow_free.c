// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow of free memory (checkers/shadow_free.h): per zone and per
 * piece of pageblock, the managed pages the reference model derives from
 * the layout less the pages the caller holds, kept as the shadow records
 * allocations and frees.
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "shadow_free.h"

#define NO_PIECE	UINT32_MAX
#define NR_ZREFS	(KB_MAX_NODES * MAX_NR_ZONES)

void kb_free_shadow_destroy(struct kb_free_shadow *fs)
{
	free(fs->piece);
	free(fs->pb_first);
	memset(fs, 0, sizeof(*fs));
}

/* Zone spans in pfn order (zones do not overlap: kb_layout_validate). */
static int sorted_zones(const struct kb_model *m, int *zref)
{
	int n = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			int z = KB_MODEL_ZONEREF(nid, zid), i;

			if (!m->node[nid].zone[zid].spanned)
				continue;
			for (i = n; i > 0 && kb_model_zone(m, zref[i - 1])->start_pfn >
					     kb_model_zone(m, z)->start_pfn; i--)
				zref[i] = zref[i - 1];
			zref[i] = z;
			n++;
		}
	return n;
}

/* [s, e) lies wholly in holes of the layout. */
static bool all_hole(const struct kb_model *m, unsigned long s, unsigned long e)
{
	const struct kb_layout *l = &m->layout;
	unsigned int rounds = 0;
	bool moved = true;

	while (s < e && moved && rounds++ <= l->nr_holes) {
		moved = false;
		for (unsigned int i = 0; i < l->nr_holes; i++)
			if (l->hole[i].start <= s && s < l->hole[i].end) {
				s = l->hole[i].end;
				moved = true;
			}
	}
	return s >= e;
}

int kb_shadow_attach_model(struct kb_shadow *sh, const struct kb_model *m)
{
	struct kb_free_shadow *fs = &sh->free;
	unsigned long pb_pages = m->pageblock_nr_pages, count = 0;
	int zref[NR_ZREFS], nz = sorted_zones(m, zref);

	kb_free_shadow_destroy(fs);
	for (int i = 0; i < nz; i++) {
		const struct kb_model_zone *z = kb_model_zone(m, zref[i]);

		count += ((z->start_pfn + z->spanned - 1) >> m->pageblock_order) -
			 (z->start_pfn >> m->pageblock_order) + 1;
	}
	fs->nr_pageblocks = (m->max_pfn >> m->pageblock_order) + 1;
	fs->pageblock_order = m->pageblock_order;
	fs->piece = calloc(count ? count : 1, sizeof(*fs->piece));
	fs->pb_first = malloc(fs->nr_pageblocks * sizeof(*fs->pb_first));
	if (!fs->piece || !fs->pb_first) {
		kb_free_shadow_destroy(fs);
		return -1;
	}
	memset(fs->pb_first, 0xff, fs->nr_pageblocks * sizeof(*fs->pb_first));
	for (int i = 0; i < nz; i++) {
		const struct kb_model_zone *z = kb_model_zone(m, zref[i]);
		unsigned long end = z->start_pfn + z->spanned;

		for (unsigned long s = z->start_pfn; s < end; ) {
			unsigned long e = (s / pb_pages + 1) * pb_pages;
			struct kb_piece *p = &fs->piece[fs->nr_pieces];

			if (e > end)
				e = end;
			/*
			 * A pageblock the layout's holes cover whole has no
			 * memory and, in a missing section, no struct pages:
			 * no piece (nothing can be held or free there).
			 */
			if (all_hole(m, s, e)) {
				s = e;
				continue;
			}
			*p = (struct kb_piece){ .start = s, .end = e, .zref = (int16_t)zref[i],
				.managed = (uint16_t)kb_model_managed_in(m, s, e) };
			if (fs->pb_first[s >> m->pageblock_order] == NO_PIECE)
				fs->pb_first[s >> m->pageblock_order] = fs->nr_pieces;
			fs->nr_pieces++;
			s = e;
		}
	}
	fs->model = m;
	return 0;
}

/* The piece holding pfn, or NULL (a pfn outside every zone). */
static struct kb_piece *piece_of(const struct kb_free_shadow *fs, unsigned long pfn)
{
	unsigned long pb = pfn >> fs->pageblock_order;
	uint32_t i;

	if (pb >= fs->nr_pageblocks || (i = fs->pb_first[pb]) == NO_PIECE)
		return NULL;
	/* a pageblock holds one piece per zone it meets: a few at most */
	for (; i < fs->nr_pieces && fs->piece[i].start <= pfn; i++)
		if (pfn < fs->piece[i].end)
			return &fs->piece[i];
	return NULL;
}

void kb_free_shadow_hold(struct kb_free_shadow *fs, unsigned long pfn, unsigned long nr,
			 int sign)
{
	unsigned long end = pfn + nr;

	if (!fs->model)
		return;
	while (pfn < end) {
		struct kb_piece *p = piece_of(fs, pfn);
		unsigned long stop;

		if (!p) {
			/* outside every zone: nothing of the shadow's, to the next pageblock */
			pfn = ((pfn >> fs->pageblock_order) + 1) << fs->pageblock_order;
			continue;
		}
		stop = p->end < end ? p->end : end;
		p->held = (uint16_t)(p->held + sign * (long)(stop - pfn));
		fs->held[p->zref] += sign * (long)(stop - pfn);
		pfn = stop;
	}
}

long kb_shadow_free_pages(const struct kb_shadow *sh, int zref)
{
	const struct kb_free_shadow *fs = &sh->free;

	if (!fs->model || zref < 0 || zref >= NR_ZREFS)
		return 0;
	return (long)kb_model_zone(fs->model, zref)->managed - fs->held[zref];
}

int kb_shadow_check_free_zone(const struct kb_shadow *sh, const struct kb_instance *kb,
			      int zref, long isolated, struct kb_violation *v)
{
	const struct kb_free_shadow *fs = sh ? &sh->free : NULL;
	int nid = zref / MAX_NR_ZONES, zid = zref % MAX_NR_ZONES;
	const struct zone *zone;
	long pcp = 0, want;

	if (!fs || !fs->model || nid >= fs->model->nr_nodes || nid >= kb->nr_node_ids)
		return 0;
	zone = &kb->node_data[nid].node_zones[zid];
	for (int cpu = 0; cpu < kb->nr_cpu_ids && cpu < KB_MAX_CPUS; cpu++)
		pcp += zone->per_cpu_pageset[cpu].count;
	want = kb_shadow_free_pages(sh, zref);
	if (zone->vm_stat[NR_FREE_PAGES] + pcp + isolated == want)
		return 0;
	kb_violation_set(v, "shadow-free-zone", nid, zid, zone->zone_start_pfn, -1, -1,
			 "NR_FREE_PAGES %ld + pcp %ld + isolated %ld = %ld pages free, but of the %lu pages the layout manages the caller holds %ld: %ld should be free",
			 zone->vm_stat[NR_FREE_PAGES], pcp, isolated,
			 zone->vm_stat[NR_FREE_PAGES] + pcp + isolated,
			 kb_model_zone(fs->model, zref)->managed, fs->held[zref], want);
	return 1;
}

/* Pages of the blocks on one free list; -1 for a list longer than mem_map (broken). */
static long list_pages(const struct kb_instance *kb, const struct list_head *head,
		       unsigned int order)
{
	const struct list_head *pos;
	unsigned long n = 0;

	if (!head->next)
		return 0;	/* a zone never set up */
	for (pos = head->next; pos != head; pos = pos->next)
		if (++n > kb->max_pfn)
			return -1;
	return (long)(n << order);
}

/*
 * Pages on each zone's free lists by list type, plus its pcp pages by
 * their pageblock's type (on); the pages on its ISOLATE free lists (iso).
 */
static int count_lists(const struct kb_instance *kb, long on[NR_ZREFS][MIGRATE_TYPES],
		       long iso[NR_ZREFS])
{
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];
			long *row = on[KB_MODEL_ZONEREF(nid, zid)];

			for (unsigned int o = 0; o <= kb->max_order; o++)
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					long n = list_pages(kb, &zone->free_area[o].free_list[mt], o);

					if (n < 0)
						return -1;
					row[mt] += n;
					if (mt == MIGRATE_ISOLATE)
						iso[KB_MODEL_ZONEREF(nid, zid)] += n;
				}
			for (int cpu = 0; cpu < kb->nr_cpu_ids && cpu < KB_MAX_CPUS; cpu++)
				for (unsigned int i = 0; i < NR_PCP_LISTS; i++) {
					const struct list_head *head = &zone->per_cpu_pageset[cpu].lists[i];
					const struct list_head *pos;
					unsigned long n = 0;

					if (!head->next)
						continue;
					for (pos = head->next; pos != head; pos = pos->next) {
						const struct page *page = list_entry(pos, struct page, lru);
						unsigned long pfn = kb_page_to_pfn(kb, page);

						if (++n > kb->max_pfn || pfn >= kb->max_pfn)
							return -1;
						row[get_pfnblock_migratetype(kb, pfn)] +=
							1L << pindex_to_order(kb, i);
					}
				}
		}
	return 0;
}

/* The same counts from the tallies of the sweep that just ran; only pcp lists are walked. */
static int count_swept_lists(const struct kb_shadow *sh, const struct kb_instance *kb,
			     long on[NR_ZREFS][MIGRATE_TYPES], long iso[NR_ZREFS])
{
	const struct kb_sweep *s = sh->sweep;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];
			int zref = KB_MODEL_ZONEREF(nid, zid);

			for (unsigned int o = 0; o <= kb->max_order; o++)
				for (int mt = 0; mt < MIGRATE_TYPES; mt++)
					on[zref][mt] += (long)(s->nr_blocks[nid][zid][o][mt] << o);
			iso[zref] = on[zref][MIGRATE_ISOLATE];
			for (int cpu = 0; cpu < s->nr_cpus; cpu++)
				for (unsigned int i = 0; i < NR_PCP_LISTS; i++) {
					const struct list_head *head = &zone->per_cpu_pageset[cpu].lists[i];
					const struct list_head *pos;

					if (!s->pcp_pages[nid][zid][cpu][i])
						continue;
					for (pos = head->next; pos != head; pos = pos->next) {
						unsigned long pfn = kb_page_to_pfn(kb,
							list_entry(pos, struct page, lru));

						on[zref][get_pfnblock_migratetype(kb, pfn)] +=
							1L << pindex_to_order(kb, i);
					}
				}
		}
	return 0;
}

static int check_free(const struct kb_shadow *sh, const struct kb_instance *kb,
		      struct kb_violation *v, bool swept)
{
	long on[NR_ZREFS][MIGRATE_TYPES] = { { 0 } }, want[NR_ZREFS][MIGRATE_TYPES] = { { 0 } };
	long iso[NR_ZREFS] = { 0 };
	const struct kb_free_shadow *fs = &sh->free;
	const struct kb_model *m = fs->model;

	if (!m || m->nr_nodes != kb->nr_node_ids)
		return 0;
	if (swept && sh->sweep->tallies_valid && sh->sweep->kb == kb)
		count_swept_lists(sh, kb, on, iso);
	else if (count_lists(kb, on, iso))
		return 0;	/* broken lists: the sweep names them */
	for (int zref = 0; zref < m->nr_nodes * MAX_NR_ZONES; zref++)
		if (kb_shadow_check_free_zone(sh, kb, zref, iso[zref], v))
			return 1;
	for (unsigned int i = 0; i < fs->nr_pieces; i++) {
		const struct kb_piece *p = &fs->piece[i];

		want[p->zref][get_pfnblock_migratetype(kb, p->start)] += p->managed - p->held;
	}
	/*
	 * Before 6.10's freelist hygiene a normal pageblock's free pages may
	 * sit on any of the three normal lists, and in 6.1 and 6.6 highatomic
	 * ones mix with them too (profile.h KB_FREELIST_HYGIENE,
	 * kb_list_type_mixes): those lists are compared with those
	 * pageblocks as one.
	 */
	if (!KB_FREELIST_HYGIENE)
		for (int zref = 0; zref < m->nr_nodes * MAX_NR_ZONES; zref++)
			for (int mt = 1; mt < MIGRATE_TYPES; mt++) {
				if (!kb_list_type_mixes(mt))
					continue;
				on[zref][0] += on[zref][mt];
				want[zref][0] += want[zref][mt];
				on[zref][mt] = want[zref][mt] = 0;
			}
	for (int zref = 0; zref < m->nr_nodes * MAX_NR_ZONES; zref++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			int nid = zref / MAX_NR_ZONES, zid = zref % MAX_NR_ZONES;
			const char *name = KB_FREELIST_HYGIENE || !kb_list_type_mixes(mt) ?
					   kb_migratetype_name(mt) :
					   kb_list_type_mixes(MIGRATE_HIGHATOMIC) ?
					   "Unmovable+Movable+Reclaimable+HighAtomic" :
					   "Unmovable+Movable+Reclaimable";

			if (on[zref][mt] == want[zref][mt])
				continue;
			kb_violation_set(v, "shadow-free-migratetype", nid, zid,
					 kb->node_data[nid].node_zones[zid].zone_start_pfn, -1, mt,
					 "the %s free lists and pcp pages in %s pageblocks hold %ld pages, but the caller's allocations and frees leave %ld free in the zone's %s pageblocks",
					 name, name, on[zref][mt], want[zref][mt], name);
			return 1;
		}
	return 0;
}

int kb_shadow_check_free(const struct kb_shadow *sh, const struct kb_instance *kb,
			 struct kb_violation *v)
{
	return check_free(sh, kb, v, false);
}

int kb_shadow_check_free_swept(const struct kb_shadow *sh, const struct kb_instance *kb,
			       struct kb_violation *v)
{
	return check_free(sh, kb, v, true);
}
