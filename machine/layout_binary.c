/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binary form of a machine layout (fuzz inputs): every byte string
 * decodes to a valid layout, and every layout within its reach encodes to
 * bytes that decode back to it (docs/layout-format.md).
 */
#include <stdbool.h>
#include <string.h>

#include "layout_io.h"

#define BIN_ZONE_BUDGET		61440	/* zone pages over all zones of all nodes */
#define BIN_MAX_CMA		4
#define BIN_MAX_HOLES		8
#define BIN_MAX_RESERVED	8
#define BIN_MAX_RANGE_LEN	4096	/* longest hole or reserved range */
#define BIN_FLAG_BOOTMEM	0x01
#define BIN_FLAG_MIN_FREE	0x02
#define BIN_THP_SHIFT		2	/* bits 2-3: thp auto, on, off (3 = auto) */
#define BIN_THP_MASK		0x0c
#define BIN_MAX_SIZE		(6 + (1 + 3 * KB_NR_LAYOUT_ZONES) * KB_MAX_NODES + 6 + \
				 1 + 5 * BIN_MAX_CMA + 1 + 5 * BIN_MAX_HOLES + \
				 1 + 5 * BIN_MAX_RESERVED)

/* Reads past the end of the input give 0, so every input has a meaning. */
struct bin_in {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static unsigned int get8(struct bin_in *in)
{
	unsigned int v = in->pos < in->size ? in->data[in->pos] : 0;

	in->pos++;
	return v;
}

static unsigned int get16(struct bin_in *in)
{
	unsigned int lo = get8(in);

	return lo | get8(in) << 8;
}

struct bin_out {
	uint8_t buf[BIN_MAX_SIZE];
	size_t pos;
	bool overflow;
};

static void put8(struct bin_out *o, unsigned long v)
{
	if (v > 0xff || o->pos >= sizeof(o->buf)) {
		o->overflow = true;
		return;
	}
	o->buf[o->pos++] = (uint8_t)v;
}

static void put16(struct bin_out *o, unsigned long v)
{
	if (v > 0xffff) {
		o->overflow = true;
		return;
	}
	put8(o, v & 0xff);
	put8(o, v >> 8);
}

struct zone_ref {
	unsigned int nid, zid;
};

/* The non-empty zones of all nodes, in node then zone order. */
static unsigned int list_zones(const struct kb_layout *l,
			       struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES])
{
	unsigned int n, z, nr = 0;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
			if (l->node[n].zone[z].start < l->node[n].zone[z].end)
				zr[nr++] = (struct zone_ref){ n, z };
	return nr;
}

static const struct kb_range *zref_range(const struct kb_layout *l, struct zone_ref zr)
{
	return &l->node[zr.nid].zone[zr.zid];
}

/* End of the run of adjacent non-empty zones of one node starting at zr. */
static unsigned long run_end(const struct kb_layout *l, struct zone_ref zr)
{
	unsigned long end = zref_range(l, zr)->end;
	unsigned int z;

	for (z = zr.zid + 1; z < KB_NR_LAYOUT_ZONES; z++) {
		const struct kb_range *r = &l->node[zr.nid].zone[z];

		if (r->start == r->end)
			continue;
		if (r->start != end)
			break;
		end = r->end;
	}
	return end;
}

static bool overlaps_any(const struct kb_range *r, const struct kb_range *arr,
			 unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (kb_ranges_overlap(r, &arr[i]))
			return true;
	return false;
}

/* Holes and reserved ranges: inside a run of zones, never over CMA. */
static void decode_plain_ranges(struct bin_in *in, struct kb_layout *l,
				const struct zone_ref *zr, unsigned int nr_zones,
				unsigned int max, struct kb_range *arr,
				unsigned int *nr)
{
	unsigned int i, count = get8(in) % (max + 1);

	for (i = 0; i < count; i++) {
		unsigned int sel = get8(in), off = get16(in), len = get16(in);
		struct zone_ref z = zr[sel % nr_zones];
		const struct kb_range *zone = zref_range(l, z);
		struct kb_range r;
		unsigned long maxlen;

		r.start = zone->start + off % (zone->end - zone->start);
		maxlen = run_end(l, z) - r.start;
		if (maxlen > BIN_MAX_RANGE_LEN)
			maxlen = BIN_MAX_RANGE_LEN;
		r.end = r.start + 1 + len % maxlen;
		if (!overlaps_any(&r, l->cma, l->nr_cma))
			arr[(*nr)++] = r;
	}
}

size_t kb_layout_decode_binary(const uint8_t *data, size_t size, struct kb_layout *out)
{
	struct bin_in in = { data, data ? size : 0, 0 };
	struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES];
	unsigned int flags, min_free, n, z, i, j, count, nr_zones;
	unsigned int cpus_left = KB_MAX_CPUS;
	unsigned long cursor = 0, zone_cap, pb;
	struct kb_layout l;

	kb_layout_init(&l);
	flags = get8(&in);
	min_free = get16(&in);
	if (flags & BIN_FLAG_BOOTMEM)
		l.boot_path = KB_BOOT_BOOTMEM;
	if (flags & BIN_FLAG_MIN_FREE)
		l.min_free_kbytes = min_free;
	l.thp = (enum kb_thp_mode)(((flags & BIN_THP_MASK) >> BIN_THP_SHIFT) % KB_NR_THP_MODES);
	/* offsets make the all-zero input the default 10/9 orders */
	l.max_page_order = 1 + (get8(&in) + KB_DEFAULT_MAX_PAGE_ORDER - 1) %
			       KB_MAX_ORDER_LIMIT;
	l.pageblock_order = 1 + (get8(&in) + KB_DEFAULT_PAGEBLOCK_ORDER - 1) %
				l.max_page_order;
	l.nr_nodes = 1 + get8(&in) % KB_MAX_NODES;
	zone_cap = BIN_ZONE_BUDGET / (l.nr_nodes * KB_NR_LAYOUT_ZONES);

	for (n = 0; n < l.nr_nodes; n++) {
		unsigned int gap[KB_NR_LAYOUT_ZONES];
		unsigned long len[KB_NR_LAYOUT_ZONES], total = 0;

		l.node[n].nr_cpus = get8(&in) % (cpus_left + 1);
		cpus_left -= l.node[n].nr_cpus;
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			gap[z] = get8(&in);
			len[z] = get16(&in) % (zone_cap + 1);
			total += len[z];
		}
		if (!total)
			len[ZONE_NORMAL] = zone_cap;
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			if (!len[z])
				continue;
			l.node[n].zone[z].start = cursor + gap[z];
			l.node[n].zone[z].end = cursor + gap[z] + len[z];
			cursor = l.node[n].zone[z].end;
		}
	}
	if (cpus_left == KB_MAX_CPUS)
		l.node[0].nr_cpus = 1;
	for (i = 0; i < l.nr_nodes; i++) {
		for (j = i + 1; j < l.nr_nodes; j++) {
			unsigned int d = KB_LOCAL_DISTANCE + get8(&in) %
				(KB_MAX_DISTANCE - KB_LOCAL_DISTANCE + 1);

			l.node[i].distance[j] = (unsigned char)d;
			l.node[j].distance[i] = (unsigned char)d;
		}
	}

	nr_zones = list_zones(&l, zr);
	pb = 1UL << l.pageblock_order;
	count = get8(&in) % (BIN_MAX_CMA + 1);
	for (i = 0; i < count; i++) {
		unsigned int sel = get8(&in), sblk = get16(&in), nblk = get16(&in);
		const struct kb_range *zone = zref_range(&l, zr[sel % nr_zones]);
		unsigned long first = (zone->start + pb - 1) / pb * pb;
		unsigned long last = zone->end / pb * pb;
		unsigned long blocks, s;
		struct kb_range r;

		if (last <= first)
			continue;	/* no whole pageblock in this zone */
		blocks = (last - first) / pb;
		s = sblk % blocks;
		r.start = first + s * pb;
		r.end = r.start + (1 + nblk % (blocks - s)) * pb;
		if (!overlaps_any(&r, l.cma, l.nr_cma))
			l.cma[l.nr_cma++] = r;
	}
	decode_plain_ranges(&in, &l, zr, nr_zones, BIN_MAX_HOLES, l.hole,
			    &l.nr_holes);
	decode_plain_ranges(&in, &l, zr, nr_zones, BIN_MAX_RESERVED, l.reserved,
			    &l.nr_reserved);
	*out = l;
	return in.pos < in.size ? in.pos : in.size;
}

static bool range_eq(const struct kb_range *a, const struct kb_range *b)
{
	if (a->start >= a->end && b->start >= b->end)
		return true;	/* both empty */
	return a->start == b->start && a->end == b->end;
}

/* Same machine: empty zones compare equal whatever their bounds. */
static bool layouts_equal(const struct kb_layout *a, const struct kb_layout *b)
{
	unsigned int n, z, i;

	if (a->max_page_order != b->max_page_order ||
	    a->pageblock_order != b->pageblock_order ||
	    a->nr_nodes != b->nr_nodes || a->nr_holes != b->nr_holes ||
	    a->nr_reserved != b->nr_reserved || a->nr_cma != b->nr_cma ||
	    a->boot_path != b->boot_path || a->thp != b->thp ||
	    a->nr_late_free != b->nr_late_free || a->nr_boot_sysctls != b->nr_boot_sysctls ||
	    strcmp(a->profile, b->profile))
		return false;
	if ((a->min_free_kbytes < 0) != (b->min_free_kbytes < 0) ||
	    (a->min_free_kbytes >= 0 && a->min_free_kbytes != b->min_free_kbytes))
		return false;
	for (n = 0; n < a->nr_nodes; n++) {
		if (a->node[n].nr_cpus != b->node[n].nr_cpus)
			return false;
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (!range_eq(&a->node[n].zone[z], &b->node[n].zone[z]))
				return false;
		for (i = 0; i < a->nr_nodes; i++)
			if (a->node[n].distance[i] != b->node[n].distance[i])
				return false;
	}
	for (i = 0; i < a->nr_holes; i++)
		if (!range_eq(&a->hole[i], &b->hole[i]))
			return false;
	for (i = 0; i < a->nr_reserved; i++)
		if (!range_eq(&a->reserved[i], &b->reserved[i]))
			return false;
	for (i = 0; i < a->nr_cma; i++)
		if (!range_eq(&a->cma[i], &b->cma[i]))
			return false;
	return true;
}

/* Index into list_zones() of the zone holding pfn, or -1. */
static int zone_index_of(const struct zone_ref *zr, unsigned int nr_zones,
			 const struct kb_layout *l, unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < nr_zones; i++) {
		const struct kb_range *r = zref_range(l, zr[i]);

		if (r->start <= pfn && pfn < r->end)
			return (int)i;
	}
	return -1;
}

static void encode_plain_ranges(struct bin_out *o, const struct kb_layout *l,
				const struct zone_ref *zr, unsigned int nr_zones,
				const struct kb_range *arr, unsigned int nr)
{
	unsigned int i;

	put8(o, nr);
	for (i = 0; i < nr; i++) {
		int zi = zone_index_of(zr, nr_zones, l, arr[i].start);

		if (zi < 0) {
			o->overflow = true;
			return;
		}
		put8(o, (unsigned int)zi);
		put16(o, arr[i].start - zref_range(l, zr[zi])->start);
		put16(o, arr[i].end - arr[i].start - 1);
	}
}

size_t kb_layout_encode_binary(const struct kb_layout *l, uint8_t *buf, size_t len)
{
	struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES];
	unsigned long cursor = 0, zone_cap, pb, m;
	unsigned int n, z, i, j, nr_zones;
	struct kb_layout back;
	struct bin_out o;

	if (kb_layout_validate(l, NULL, 0))
		return 0;
	/* The binary form has no late frees, after-boot sysctls or profile. */
	if (l->nr_late_free || l->nr_boot_sysctls || l->profile[0])
		return 0;
	memset(&o, 0, sizeof(o));
	put8(&o, (l->boot_path == KB_BOOT_BOOTMEM ? BIN_FLAG_BOOTMEM : 0) |
		 (l->min_free_kbytes >= 0 ? BIN_FLAG_MIN_FREE : 0) |
		 ((unsigned int)l->thp << BIN_THP_SHIFT));
	put16(&o, l->min_free_kbytes >= 0 ? (unsigned long)l->min_free_kbytes : 0);
	m = KB_MAX_ORDER_LIMIT;
	put8(&o, (l->max_page_order - 1 + m - (KB_DEFAULT_MAX_PAGE_ORDER - 1) % m) % m);
	m = l->max_page_order;
	put8(&o, (l->pageblock_order - 1 + m - (KB_DEFAULT_PAGEBLOCK_ORDER - 1) % m) % m);
	put8(&o, l->nr_nodes - 1);
	zone_cap = BIN_ZONE_BUDGET / (l->nr_nodes * KB_NR_LAYOUT_ZONES);
	for (n = 0; n < l->nr_nodes; n++) {
		put8(&o, l->node[n].nr_cpus);
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &l->node[n].zone[z];

			if (r->start >= r->end) {
				put8(&o, 0);
				put16(&o, 0);
				continue;
			}
			if (r->end - r->start > zone_cap)
				return 0;
			put8(&o, r->start - cursor);
			put16(&o, r->end - r->start);
			cursor = r->end;
		}
	}
	for (i = 0; i < l->nr_nodes; i++)
		for (j = i + 1; j < l->nr_nodes; j++)
			put8(&o, l->node[i].distance[j] - KB_LOCAL_DISTANCE);

	nr_zones = list_zones(l, zr);
	pb = 1UL << l->pageblock_order;
	put8(&o, l->nr_cma);
	for (i = 0; i < l->nr_cma; i++) {
		int zi = zone_index_of(zr, nr_zones, l, l->cma[i].start);
		unsigned long first;

		if (zi < 0)
			return 0;
		first = (zref_range(l, zr[zi])->start + pb - 1) / pb * pb;
		put8(&o, (unsigned int)zi);
		put16(&o, (l->cma[i].start - first) / pb);
		put16(&o, (l->cma[i].end - l->cma[i].start) / pb - 1);
	}
	encode_plain_ranges(&o, l, zr, nr_zones, l->hole, l->nr_holes);
	encode_plain_ranges(&o, l, zr, nr_zones, l->reserved, l->nr_reserved);
	if (o.overflow)
		return 0;

	/* Anything outside the decoder's reach (sizes, counts) shows here. */
	kb_layout_decode_binary(o.buf, o.pos, &back);
	if (!layouts_equal(l, &back))
		return 0;
	if (buf && len)
		memcpy(buf, o.buf, o.pos < len ? o.pos : len);
	return o.pos;
}
