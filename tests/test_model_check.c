/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each comparison of checkers/model_check.c that tests/test_model.c does
 * not break: one field of the allocator's derived state off by one (the
 * geometry, the CPU count, a node's CPUs and distances, a node's spans,
 * totalram, a zoneref's index or zone, a sysctl, totalreserve), the
 * model's verdict named with the field in its message, and the model
 * agreeing again once the field is put back (the comparison is exact, not
 * a report of anything).
 */
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_model model;

static struct kb_instance *boot(const char *name)
{
	struct kb_layout l;
	char err[256];
	struct kb_instance *kb;

	if (kb_layout_builtin(name, &l))
		return NULL;
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (kb)
		kb_model_boot(&model, &l);
	return kb;
}

static void expect_verdict(struct kb_instance *kb, const char *name, const char *what)
{
	struct kb_violation v;

	if (!kb_model_check(&model, kb, &v)) {
		KBTEST_FAIL("expected \"%s\", the model agrees", name);
		return;
	}
	EXPECT_STREQ(v.invariant, name);
	if (!strstr(v.detail, what))
		KBTEST_FAIL("'%s' does not say '%s'", v.detail, what);
}

static void expect_agrees(struct kb_instance *kb)
{
	struct kb_violation v;

	if (kb_model_check(&model, kb, &v))
		KBTEST_FAIL("the model disagrees: %s: %s", v.invariant, v.detail);
}

/* A test that moves FIELD by DELTA on LAYOUT, expects NAME saying WHAT, puts it back. */
#define MODEL_CASE(test, layout, field, delta, name, what)			\
	TEST(test)								\
	{									\
		struct kb_instance *kb = boot(layout);				\
										\
		ASSERT_TRUE(kb);						\
		expect_agrees(kb);						\
		{								\
			__typeof__(kb->field) saved = kb->field;		\
										\
			kb->field = (__typeof__(kb->field))(saved + (delta));	\
			expect_verdict(kb, name, what);				\
			kb->field = saved;					\
		}								\
		expect_agrees(kb);						\
		kb_destroy(kb);							\
	}

MODEL_CASE(topology_catches_a_wrong_max_order, "default", max_order, 1,
	   "model-topology", "geometry max_order")
MODEL_CASE(topology_catches_a_wrong_cpu_count, "default", nr_cpu_ids, -1,
	   "model-topology", "nodes and")
MODEL_CASE(topology_catches_a_node_with_another_cpu_count, "numa", node_data[1].nr_cpus, 1,
	   "model-topology", "node 1 has id 1")
MODEL_CASE(topology_catches_a_wrong_node_distance, "numa", node_distance[0][1], 1,
	   "model-topology", "node_distance(0, 1)")
MODEL_CASE(managed_catches_a_node_with_a_wrong_span, "numa", node_data[1].node_spanned_pages, 1,
	   "model-managed", "node start")
MODEL_CASE(managed_catches_a_wrong_totalram, "default", totalram_pages, 1,
	   "model-managed", "totalram_pages")
MODEL_CASE(zonelist_catches_a_zoneref_with_a_wrong_index, "default",
	   node_data[0].node_zonelists[ZONELIST_FALLBACK]._zonerefs[0].zone_idx, -1,
	   "model-zonelist", "entry 0 is node 0 Normal (idx 1)")
MODEL_CASE(sysctl_catches_a_wrong_watermark_scale_factor, "default", watermark_scale_factor, 1,
	   "model-sysctl", "watermark_scale_factor is")
MODEL_CASE(sysctl_catches_a_wrong_pagelist_high_fraction, "default",
	   percpu_pagelist_high_fraction, 8, "model-sysctl", "percpu_pagelist_high_fraction is")
MODEL_CASE(sysctl_catches_a_wrong_lowmem_reserve_ratio, "default",
	   sysctl_lowmem_reserve_ratio[ZONE_DMA32], 1, "model-sysctl", "lowmem_reserve_ratio is")
MODEL_CASE(totalreserve_catches_a_wrong_node_total, "numa", node_data[1].totalreserve_pages, 1,
	   "model-totalreserve", "node 1 totalreserve_pages")
MODEL_CASE(totalreserve_catches_a_wrong_total, "default", totalreserve_pages, 1,
	   "model-totalreserve", "totalreserve_pages")

/* A zoneref pointing at a zone that is no zone of the instance, and one past the end. */
TEST(zonelist_names_a_zone_outside_the_instance_and_a_missing_end)
{
	static struct zone stray;
	struct kb_instance *kb = boot("default");
	struct zoneref *zr, saved;
	int n = 0;

	ASSERT_TRUE(kb);
	zr = kb->node_data[0].node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	saved = zr[0];
	zr[0].zone = &stray;
	expect_verdict(kb, "model-zonelist", "a zone outside the instance");
	zr[0] = saved;
	expect_agrees(kb);
	/* the terminator replaced by the first zone again: the model has the end there */
	while (zr[n].zone)
		n++;
	ASSERT_TRUE(n < MAX_ZONES_PER_ZONELIST);
	saved = zr[n];
	zr[n] = zr[0];
	expect_verdict(kb, "model-zonelist", "the model has the end");
	zr[n] = saved;
	expect_agrees(kb);
	kb_destroy(kb);
}

TEST_MAIN()
