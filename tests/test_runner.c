// SPDX-License-Identifier: GPL-2.0
/*
 * The runner: API misuse is named, not undefined; runs are deterministic;
 * a snapshot restore gives exactly the state a fresh boot gives.
 */
#include <stdlib.h>
#include <string.h>

#include "kbtest.h"
#include "run.h"
#include "../core/internal.h"

static struct kb_ops ops;

static const char *violation_of(const char *text)
{
	static char name[64];
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true };
	struct kb_run_result res;
	struct kb_run *run;
	char err[256];

	if (kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err))) {
		fprintf(stderr, "  parse: %s\n", err);
		return "parse-error";
	}
	run = kb_run_ops(&ops, &opt, &res);
	if (!run)
		return "boot-failed";
	snprintf(name, sizeof(name), "%s", res.violated ? res.violation.invariant : "clean");
	kb_run_destroy(run);
	return name;
}

/*
 * A block allocated and freed twice:
 *   alloc -> a1, free a1, free a1
 * Expect the second free to be named a double free.
 */
TEST(double_free_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=2 -> a1\nfree a1\nfree a1\n"),
		     "api-double-free");
}

TEST(double_free_after_reuse_is_named)
{
	/* a2 reuses a1's pages; freeing a1 again must still be caught */
	EXPECT_STREQ(violation_of("layout default\nalloc order=0 -> a1\nfree a1\ndrain_all\n"
				  "alloc order=0 -> a2\nfree a1\n"),
		     "api-double-free");
}

TEST(wrong_order_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=3 -> a1\nfree a1 order=2\n"),
		     "api-wrong-order");
}

TEST(alloc_order_above_max_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=11 -> a1\n"), "api-order-range");
}

TEST(free_order_above_max_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=1 -> a1\nfree a1 order=12\n"),
		     "api-order-range");
}

TEST(free_of_tail_page_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=2 gfp=GFP_KERNEL|__GFP_COMP -> a1\n"
				  "free_pfn pfn=0x3001 order=0\n"),
		     "api-free-tail");
}

TEST(free_of_reserved_pfn_is_named)
{
	/* pfn 0 lies outside every zone of the default layout */
	EXPECT_STREQ(violation_of("layout default\nfree_pfn pfn=0 order=0\n"), "api-free-reserved");
}

TEST(free_of_never_allocated_pfn_is_named)
{
	EXPECT_STREQ(violation_of("layout default\nfree_pfn pfn=0x4000 order=0\n"), "api-double-free");
}

TEST(well_formed_sequence_runs_clean)
{
	EXPECT_STREQ(violation_of("layout default\nalloc order=0 cpu=1 -> a1\n"
				  "alloc order=9 gfp=GFP_HIGHUSER_MOVABLE -> a2\nfree a2\n"
				  "free a1 cpu=0\ndrain cpu=1\n"),
		     "clean");
}

static void random_input(uint64_t *seed, uint8_t *buf, size_t *len, size_t max)
{
	size_t i;

	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	*len = 8 + *seed % (max - 8);
	for (i = 0; i < *len; i++) {
		*seed ^= *seed << 13;
		*seed ^= *seed >> 7;
		*seed ^= *seed << 17;
		buf[i] = (uint8_t)*seed;
	}
}

/* Same input, same result: violation, operations and state hash. */
TEST(runs_are_deterministic)
{
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true };
	uint64_t seed = 42;
	uint8_t buf[1024];
	size_t len;
	int i;

	for (i = 0; i < 40; i++) {
		struct kb_run_result a, b;
		struct kb_run *ra, *rb;

		random_input(&seed, buf, &len, sizeof(buf));
		kb_ops_decode_binary(buf, len, &ops);
		ra = kb_run_ops(&ops, &opt, &a);
		rb = kb_run_ops(&ops, &opt, &b);
		ASSERT_TRUE(ra && rb);
		EXPECT_EQ(a.state_hash, b.state_hash);
		EXPECT_EQ(a.ops_run, b.ops_run);
		EXPECT_EQ(a.violated, b.violated);
		kb_run_destroy(ra);
		kb_run_destroy(rb);
	}
}

/*
 * The runner reuses one booted instance per layout. After any input, the
 * restore must give back every byte of the booted state, and a run on the
 * restored instance must end exactly as a run on a fresh boot.
 */
TEST(snapshot_restore_equals_fresh_boot)
{
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true };
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 7;
	uint8_t buf[2048];
	size_t len;
	int i;

	ASSERT_TRUE(runner);
	for (i = 0; i < 120; i++) {
		struct kb_run_result fresh, reused;
		struct kb_run *rf, *rr;

		random_input(&seed, buf, &len, sizeof(buf));
		kb_ops_decode_binary(buf, len, &ops);
		rf = kb_run_ops(&ops, &opt, &fresh);
		rr = kb_runner_run(runner, &ops, &opt, &reused);
		ASSERT_TRUE(rf && rr);
		EXPECT_EQ(fresh.state_hash, reused.state_hash);
		EXPECT_EQ(fresh.violated, reused.violated);
		kb_snapshot_restore(kb_run_instance(rr));
		EXPECT_TRUE(kb_snapshot_matches(kb_run_instance(rr)));
		kb_run_destroy(rf);
		if (kbtest_current_failed)
			break;
	}
	kb_runner_destroy(runner);
}

TEST(unknown_layout_is_a_clear_error)
{
	struct kb_run_options opt = { .check_level = 2 };
	struct kb_run_result res;

	memset(&ops, 0, sizeof(ops));
	snprintf(ops.layout, sizeof(ops.layout), "no-such-layout");
	EXPECT_TRUE(kb_run_ops(&ops, &opt, &res) == NULL);
	EXPECT_TRUE(res.setup_failed);
	EXPECT_TRUE(strstr(res.setup_error, "no-such-layout") != NULL);
}

TEST_MAIN()
