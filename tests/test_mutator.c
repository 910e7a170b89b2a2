// SPDX-License-Identifier: GPL-2.0
/*
 * The record-level mutator of fuzz/mutator.c: every output is a header and
 * whole records within max_size that decodes to a valid sequence, each
 * kind does what it says, the same seed gives the same output, and
 * crossover only uses records of its parents.
 */
#include <stdint.h>
#include <string.h>

#include "kbtest.h"
#include "ops.h"
#include "../fuzz/mutator.c"
#include "../fuzz/deep_state.h"

#define BUF	(1 + 8 * 300)

static struct kb_ops ops_a, ops_b;

static uint32_t xs(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static size_t random_input(uint8_t *buf, size_t max, uint32_t *s)
{
	size_t n = xs(s) % max, i;

	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)xs(s);
	return n;
}

static bool whole_records(size_t size, size_t max)
{
	return size >= 1 && size <= max && (size - 1) % 8 == 0;
}

/* Record r of buf appears among the records of other. */
static bool has_record(const uint8_t *rec, const uint8_t *other, size_t size)
{
	size_t i;

	for (i = 1; i + 8 <= size; i += 8)
		if (!memcmp(rec, other + i, 8))
			return true;
	return false;
}

TEST(normalise)
{
	uint8_t buf[64] = { 7 };

	EXPECT_EQ(kb_mut_normalise(buf, 0, 64), 1u);
	EXPECT_EQ(buf[0], 0);
	EXPECT_EQ(kb_mut_normalise(buf, 12, 64), 9u);	/* partial record dropped */
	EXPECT_EQ(kb_mut_normalise(buf, 64, 20), 17u);	/* within max_size */
	EXPECT_EQ(kb_mut_normalise(buf, 5, 0), 0u);
}

TEST(every_output_decodes)
{
	static uint8_t buf[BUF];
	uint32_t s = 12345;
	unsigned int i;

	for (i = 0; i < 3000; i++) {
		size_t max = 1 + xs(&s) % BUF;
		size_t size = random_input(buf, max + 1 > BUF ? BUF : max + 1, &s);
		size_t out, need;

		if (size > max)
			size = max;
		out = kb_mut_mutate(buf, size, max, i);
		ASSERT_TRUE(whole_records(out, max));
		kb_ops_decode_binary(buf, out, &ops_a);
		EXPECT_TRUE(ops_a.nr_ops <= (out - 1) / 8);
		/* a decoded sequence has a binary form that decodes to it */
		need = kb_ops_encode_binary(&ops_a, NULL, 0);
		ASSERT_TRUE(need > 0);
		{
			static uint8_t enc[1 + 8 * KB_OPS_MAX];

			kb_ops_encode_binary(&ops_a, enc, sizeof(enc));
			kb_ops_decode_binary(enc, need, &ops_b);
			EXPECT_EQ(ops_a.nr_ops, ops_b.nr_ops);
			EXPECT_STREQ(ops_a.layout, ops_b.layout);
		}
	}
}

TEST(same_seed_same_output)
{
	uint8_t a[BUF], b[BUF];
	uint32_t s = 99;
	size_t size = random_input(a, 200, &s), oa, ob;

	memcpy(b, a, size);
	oa = kb_mut_mutate(a, size, BUF, 4242);
	ob = kb_mut_mutate(b, size, BUF, 4242);
	ASSERT_EQ(oa, ob);
	EXPECT_TRUE(!memcmp(a, b, oa));
}

TEST(each_kind)
{
	uint8_t buf[BUF], orig[BUF];
	struct kb_mut_rng rng;
	uint32_t s = 7;
	unsigned int i;

	kb_mut_seed(&rng, 1);
	for (i = 0; i < 500; i++) {
		size_t size = 1 + 8 * (2 + xs(&s) % 20), n = (size - 1) / 8, out, k, diff;

		random_input(buf, size + 1, &s);
		for (k = 0; k < size; k++)
			buf[k] = (uint8_t)xs(&s);
		memcpy(orig, buf, size);

		out = kb_mut_apply(KB_MUT_INSERT, buf, size, BUF, &rng);
		EXPECT_EQ(out, size + 8);
		memcpy(buf, orig, size);
		out = kb_mut_apply(KB_MUT_DELETE, buf, size, BUF, &rng);
		EXPECT_EQ(out, size - 8);
		for (k = 1; k < out; k += 8)
			EXPECT_TRUE(has_record(buf + k, orig, size));

		memcpy(buf, orig, size);
		out = kb_mut_apply(KB_MUT_DUPLICATE, buf, size, BUF, &rng);
		EXPECT_EQ(out, size + 8);
		for (k = 1; k < out; k += 8)
			EXPECT_TRUE(has_record(buf + k, orig, size));

		memcpy(buf, orig, size);
		out = kb_mut_apply(KB_MUT_SWAP, buf, size, BUF, &rng);
		EXPECT_EQ(out, size);
		for (k = 1; k < out; k += 8)
			EXPECT_TRUE(has_record(buf + k, orig, size));

		memcpy(buf, orig, size);
		out = kb_mut_apply(KB_MUT_FIELD, buf, size, BUF, &rng);
		EXPECT_EQ(out, size);
		for (k = 0, diff = 0; k < size; k++)
			diff += buf[k] != orig[k];
		EXPECT_TRUE(diff <= 1);
		EXPECT_EQ(buf[0], orig[0]);

		memcpy(buf, orig, size);
		out = kb_mut_apply(KB_MUT_HEADER, buf, size, BUF, &rng);
		EXPECT_EQ(out, size);
		EXPECT_TRUE(buf[0] != orig[0]);
		EXPECT_TRUE(!memcmp(buf + 1, orig + 1, size - 1));
		(void)n;
	}
}

/*
 * Inserted records reach every operation kind the binary format has, the
 * reference and range operations too, and contiguous ranges of a power of
 * two pages (what a compound range must be) come often.
 */
TEST(inserts_reach_every_kind)
{
	static const enum kb_op_kind kinds[] = {
		KB_OP_ALLOC, KB_OP_FREE, KB_OP_DRAIN_CPU, KB_OP_DRAIN_ALL, KB_OP_SYSCTL,
		KB_OP_PCP_DISABLE, KB_OP_PCP_ENABLE, KB_OP_OOM_VICTIM, KB_OP_GET, KB_OP_PUT,
		KB_OP_ISOLATE, KB_OP_UNISOLATE, KB_OP_ALLOC_CONTIG,
	};
	unsigned int seen[KB_NR_OP_KINDS] = { 0 }, contig = 0, contig_pow2 = 0;
	uint8_t buf[BUF];
	struct kb_mut_rng rng;
	size_t size = 1, i, k;

	kb_mut_seed(&rng, 3);
	buf[0] = 5;	/* layout small */
	for (i = 0; i < 4000; i++) {
		if (size + 8 > BUF)
			size = 1;
		/* an alloc first, so frees, gets and puts have something to name */
		if (size == 1) {
			memcpy(buf + 1, "\x00\x00\x00\x00\x00\x00\x00\x00", 8);
			memcpy(buf + 9, "\x1e\x00\x00\x00\x00\x00\x00\x00", 8);
			size = 17;
		}
		size = kb_mut_apply(KB_MUT_INSERT, buf, size, BUF, &rng);
		kb_ops_decode_binary(buf, size, &ops_a);
		for (k = 0; k < ops_a.nr_ops; k++) {
			const struct kb_op *op = &ops_a.ops[k];

			seen[op->kind]++;
			if (op->kind == KB_OP_ALLOC_CONTIG) {
				contig++;
				contig_pow2 += !(op->nr & (op->nr - 1));
			}
		}
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!seen[kinds[k]])
			printf("  never inserted: kind %d\n", kinds[k]);
		EXPECT_TRUE(seen[kinds[k]] > 0);
	}
	EXPECT_TRUE(contig > 0 && contig_pow2 * 2 > contig);
}

TEST(full_and_empty_inputs)
{
	uint8_t buf[17];
	struct kb_mut_rng rng;
	size_t out;

	kb_mut_seed(&rng, 3);
	memset(buf, 0, sizeof(buf));
	/* no room for another record: insert falls back, size stays */
	out = kb_mut_apply(KB_MUT_INSERT, buf, 17, 17, &rng);
	EXPECT_EQ(out, 17u);
	/* nothing to delete: an insert instead */
	out = kb_mut_apply(KB_MUT_DELETE, buf, 1, 17, &rng);
	EXPECT_EQ(out, 9u);
	/* max_size 1: only the header can change */
	out = kb_mut_apply(KB_MUT_SWAP, buf, 1, 1, &rng);
	EXPECT_EQ(out, 1u);
}

TEST(crossover_uses_parent_records)
{
	uint8_t a[BUF], b[BUF], out[BUF];
	uint32_t s = 31;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		size_t sa = random_input(a, BUF, &s), sb = random_input(b, BUF, &s);
		size_t max = 1 + xs(&s) % BUF, o, k;

		o = kb_mut_crossover(a, sa, b, sb, out, max, i);
		ASSERT_TRUE(whole_records(o, max));
		for (k = 1; k < o; k += 8)
			EXPECT_TRUE(has_record(out + k, a, sa) || has_record(out + k, b, sb));
		kb_ops_decode_binary(out, o, &ops_a);
		EXPECT_TRUE(ops_a.nr_ops <= (o - 1) / 8);
	}
}

/* Whether rec is an operation that changes derived state (sysctl, pcp, isolation). */
static bool input_changing(const uint8_t *rec)
{
	unsigned int slot = rec[0] % 32;

	return slot == SLOT_SYSCTL || slot == SLOT_PCP_OFF || slot == SLOT_PCP_ON ||
	       (slot == SLOT_RANGE && rec[1] % 3 == 0) ||
	       /* COMPACT, KCOMPACTD, a compaction sysctl, a KSWAPD pass, OOM_SCORE_ADJ */
	       (slot == SLOT_OOM && rec[1] % 64 >= 2 && rec[1] % 64 <= 6);
}

/*
 * KB_MUT_DEEP inserts, at or after the midpoint, pressure allocations
 * (perhaps after a sysctl raising the watermarks) and then one operation
 * that changes derived state; the other records stay in order.
 */
TEST(deep_inserts_pressure_then_an_input_change_late)
{
	uint8_t buf[BUF], orig[BUF];
	struct kb_mut_rng rng;
	unsigned int bursts = 0, alone = 0;
	uint32_t s = 77;

	kb_mut_seed(&rng, 9);
	for (unsigned int i = 0; i < 500; i++) {
		size_t size = 1 + 8 * (xs(&s) % 40), n = (size - 1) / 8, out, m, at;
		bool found = false;

		for (size_t k = 0; k < size; k++)
			buf[k] = (uint8_t)xs(&s);
		memcpy(orig, buf, size);
		out = kb_mut_apply(KB_MUT_DEEP, buf, size, BUF, &rng);
		ASSERT_TRUE(out > size && (out - size) % 8 == 0);
		m = (out - size) / 8;
		EXPECT_TRUE(m >= 1 && m <= 9);
		EXPECT_EQ(buf[0], orig[0]);
		for (at = n / 2; at <= n && !found; at++) {
			const uint8_t *ins = buf + 1 + at * 8;
			bool ok = !memcmp(buf + 1, orig + 1, at * 8) &&
				  !memcmp(ins + m * 8, orig + 1 + at * 8, (n - at) * 8) &&
				  input_changing(ins + (m - 1) * 8);

			/* allocations, the first perhaps a sysctl raising the watermarks */
			for (size_t k = 0; ok && k + 1 < m; k++)
				ok = ins[k * 8] % 32 < SLOT_FREE ||
				     (k < 2 && ins[k * 8] % 32 == SLOT_SYSCTL);
			found = ok;
		}
		EXPECT_TRUE(found);
		bursts += m > 1;
		alone += m == 1;
	}
	EXPECT_TRUE(bursts > 250 && alone > 50);
}

/* KB_MUT_DEEP's input changes include oom_score_adj writes of -1000, 0 and 1000. */
TEST(deep_inserts_oom_score_adj)
{
	uint8_t buf[BUF];
	struct kb_mut_rng rng;
	unsigned int seen[3] = { 0 };

	kb_mut_seed(&rng, 5);
	for (unsigned int i = 0; i < 2000; i++) {
		size_t size = 1, out;

		buf[0] = 3;	/* numa: 4 CPUs */
		out = kb_mut_apply(KB_MUT_DEEP, buf, size, BUF, &rng);
		kb_ops_decode_binary(buf, out, &ops_a);
		for (size_t k = 0; k < ops_a.nr_ops; k++) {
			const struct kb_op *op = &ops_a.ops[k];

			if (op->kind != KB_OP_OOM_SCORE_ADJ)
				continue;
			EXPECT_TRUE(op->value == -1000 || op->value == 0 || op->value == 1000);
			seen[(op->value + 1000) / 1000]++;
		}
	}
	EXPECT_TRUE(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
}

/*
 * The same random walks (mutation after mutation, no coverage feedback),
 * with the deep-state mutations and without: with them, many more of the
 * sysctl writes, pcp toggles and isolations run after a fallback, with a
 * boosted watermark, after a failure or with a highatomic reserve, so the
 * reference model is recomputed and compared there.
 */
TEST(deep_mix_recomputes_derived_state_far_from_boot)
{
	static uint8_t buf[1 + 8 * 128];
	struct kb_deep_stats st[2];
	struct kb_runner *runner = kb_runner_create();

	ASSERT_TRUE(runner);
	memset(st, 0, sizeof(st));
	for (int deep_mix = 0; deep_mix < 2; deep_mix++)
		for (unsigned int walk = 0; walk < 24; walk++) {
			size_t size = 1;

			buf[0] = (uint8_t)walk;	/* the walks spread over the layouts */
			for (unsigned int step = 0; step < 40; step++) {
				size = kb_mut_mutate_mix(buf, size, sizeof(buf), walk * 1000 + step,
							 deep_mix);
				EXPECT_EQ(kb_deep_run(runner, &ops_a, buf, size, &st[deep_mix]), 0);
			}
		}
	if (kbtest_verbose)
		for (int i = 0; i < 2; i++)
			printf("  %s: %lu inputs, %lu input-changing ops, %lu far from boot (fallback %lu, boosted %lu, failed %lu, reserved %lu)\n",
			       i ? "deep mix" : "old mix ", st[i].inputs, st[i].input_ops, st[i].deep,
			       st[i].fallback, st[i].boosted, st[i].failed, st[i].reserved);
	EXPECT_TRUE(st[1].deep > 2 * st[0].deep);
	EXPECT_TRUE(st[1].inputs_deep > 2 * st[0].inputs_deep);
	EXPECT_TRUE(st[1].fallback > st[0].fallback && st[1].failed > st[0].failed);
	kb_runner_destroy(runner);
}

TEST_MAIN()
