/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmstat.h's inlines call mm.h helpers that a kernel build defines before
 * mm.h includes vmstat.h; the real mm.h comes after vmstat.h here, so they
 * are declared first.
 */
#ifndef KSHIM_VMSTAT_EARLY_H
#define KSHIM_VMSTAT_EARLY_H

static inline struct zone *folio_zone(const struct folio *folio);
static inline pg_data_t *folio_pgdat(const struct folio *folio);
static inline pg_data_t *page_pgdat(const struct page *page);
static inline long folio_nr_pages(const struct folio *folio);

#endif
