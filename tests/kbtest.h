/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness. Each tests/test_*.c defines tests with TEST(name)
 * and ends with TEST_MAIN(). EXPECT_* records a failure and goes on;
 * ASSERT_* records it and leaves the test. A test binary prints one line per
 * failed test (all tests with -v) and a closing line
 *   "<binary>: N passed, N failed"
 * that tests/run_tests.sh adds up into the suite's "N passed, N failed".
 */
#ifndef KBTEST_H
#define KBTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kbtest_case {
	const char *name;
	void (*fn)(void);
};

#define KBTEST_MAX 512
extern struct kbtest_case kbtest_cases[KBTEST_MAX];
extern int kbtest_nr_cases;
extern int kbtest_current_failed;
extern int kbtest_verbose;

#define TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void register_##name(void)	\
	{								\
		if (kbtest_nr_cases < KBTEST_MAX)			\
			kbtest_cases[kbtest_nr_cases++] =		\
				(struct kbtest_case){ #name, test_##name }; \
	}								\
	static void test_##name(void)

#define KBTEST_FAIL(...)						\
	do {								\
		kbtest_current_failed = 1;				\
		fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	} while (0)

#define EXPECT_TRUE(c)							\
	do { if (!(c)) KBTEST_FAIL("expected %s", #c); } while (0)
#define EXPECT_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b)						\
			KBTEST_FAIL("expected %s == %s (%lld != %lld)",	\
				    #a, #b, _a, _b);			\
	} while (0)
#define EXPECT_STREQ(a, b)						\
	do {								\
		const char *_a = (a), *_b = (b);			\
		if (!_a || !_b || strcmp(_a, _b))			\
			KBTEST_FAIL("expected %s == \"%s\", got \"%s\"",	\
				    #a, _b ? _b : "(null)", _a ? _a : "(null)"); \
	} while (0)
#define ASSERT_TRUE(c)							\
	do { if (!(c)) { KBTEST_FAIL("assertion %s", #c); return; } } while (0)
#define ASSERT_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			KBTEST_FAIL("assertion %s == %s (%lld != %lld)", \
				    #a, #b, _a, _b);			\
			return;						\
		}							\
	} while (0)

#define TEST_MAIN()							\
	struct kbtest_case kbtest_cases[KBTEST_MAX];			\
	int kbtest_nr_cases;						\
	int kbtest_current_failed;					\
	int kbtest_verbose;						\
	int main(int argc, char **argv)					\
	{								\
		int passed = 0, failed = 0;				\
		const char *only = NULL;				\
		setvbuf(stdout, NULL, _IOLBF, 0);			\
		for (int i = 1; i < argc; i++) {			\
			if (!strcmp(argv[i], "-v"))			\
				kbtest_verbose = 1;			\
			else						\
				only = argv[i];				\
		}							\
		for (int i = 0; i < kbtest_nr_cases; i++) {		\
			if (only && strcmp(only, kbtest_cases[i].name))	\
				continue;				\
			kbtest_current_failed = 0;			\
			kbtest_cases[i].fn();				\
			if (kbtest_current_failed) {			\
				failed++;				\
				printf("FAIL %s\n", kbtest_cases[i].name); \
			} else {					\
				passed++;				\
				if (kbtest_verbose)			\
					printf("ok   %s\n", kbtest_cases[i].name); \
			}						\
		}							\
		printf("%s: %d passed, %d failed\n", argv[0], passed, failed); \
		return failed ? 1 : 0;					\
	}

#endif /* KBTEST_H */
