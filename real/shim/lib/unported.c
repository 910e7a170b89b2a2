// SPDX-License-Identifier: GPL-2.0
/*
 * What alloc_contig_range() needs from mm/compaction.c, mm/migrate.c and
 * mm/vmscan.c, not yet taken from the kernel source: each reports a kernel
 * warning naming itself when called, so a run that reaches one says so
 * instead of passing for the real thing.
 */
#include <kshim/kshim.h>

#include "internal.h"

#define UNPORTED(name) kshim_warn("UNPORTED", __FILE__, __LINE__, name)

unsigned long isolate_freepages_range(struct compact_control *cc, unsigned long start_pfn,
				      unsigned long end_pfn)
{
	(void)cc;
	(void)start_pfn;
	(void)end_pfn;
	UNPORTED("isolate_freepages_range");
	return 0;
}

int isolate_migratepages_range(struct compact_control *cc, unsigned long low_pfn,
			       unsigned long end_pfn)
{
	(void)cc;
	(void)low_pfn;
	(void)end_pfn;
	UNPORTED("isolate_migratepages_range");
	return -EBUSY;
}

unsigned int reclaim_clean_pages_from_list(struct zone *zone, struct list_head *folio_list)
{
	(void)zone;
	(void)folio_list;
	UNPORTED("reclaim_clean_pages_from_list");
	return 0;
}

int migrate_pages(struct list_head *l, new_folio_t new, free_folio_t free,
		  unsigned long private, enum migrate_mode mode, int reason,
		  unsigned int *ret_succeeded)
{
	(void)l;
	(void)new;
	(void)free;
	(void)private;
	(void)mode;
	(void)reason;
	(void)ret_succeeded;
	UNPORTED("migrate_pages");
	return -EBUSY;
}

void putback_movable_pages(struct list_head *l)
{
	(void)l;
	UNPORTED("putback_movable_pages");
}

struct folio *alloc_migration_target(struct folio *src, unsigned long private)
{
	(void)src;
	(void)private;
	UNPORTED("alloc_migration_target");
	return NULL;
}
