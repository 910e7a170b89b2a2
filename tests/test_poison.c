// SPDX-License-Identifier: GPL-2.0
/*
 * Free pages are poisoned: under AddressSanitizer, writing to a page after
 * freeing it is reported as a use-after-poison, as KASAN reports it in the
 * kernel. And the allocator's page scans (core/page_scan.c), which fuzz
 * builds leave without per-access checks, ask ASan about their whole range
 * first. The bad access happens in a child process whose death is the
 * result.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_instance *boot(void)
{
	struct kb_options opt = { .check_level = 2, .back_with_memory = true,
				  .backing_bytes = 64 };
	struct kb_layout l;
	char err[128];

	kb_layout_default(&l);
	return kb_create(&l, &opt, err, sizeof(err));
}

/* Runs fn in a child; returns its exit status and what it wrote to stderr. */
static int in_child(void (*fn)(void), char *out, size_t len)
{
	int pipefd[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		fn();
		_exit(0);
	}
	close(pipefd[1]);
	while (got + 1 < (ssize_t)len && (n = read(pipefd[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_after_free(void)
{
	struct kb_instance *kb = boot();
	struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 1, -1, NULL);
	volatile uint8_t *mem = kb_page_address(kb, page);

	mem[0] = 1;		/* allowed: the page is ours */
	kb_free_pages(kb, page, 1);
	mem[0] = 2;		/* use after free */
}

static void write_while_allocated(void)
{
	struct kb_instance *kb = boot();
	struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 3, -1, NULL);
	volatile uint8_t *mem = kb_page_address(kb, page);

	mem[0] = 1;
	mem[7 * 64 + 63] = 1;	/* the last byte of the eighth page */
	kb_free_pages(kb, page, 3);
	kb_destroy(kb);
}

TEST(use_after_free_is_reported)
{
	char out[4096];
	int status = in_child(write_after_free, out, sizeof(out));

#ifdef KB_HAVE_ASAN
	EXPECT_TRUE(status != 0);
	EXPECT_TRUE(strstr(out, "use-after-poison") != NULL);
#else
	/* without ASan the write goes through unnoticed */
	EXPECT_EQ(status, 0);
#endif
}

/* A scan of the last page of mem_map and one past it (run under ASan only). */
static __attribute__((unused)) void scan_past_mem_map(void)
{
	struct kb_instance *kb = boot();

	kb_pages_first_unexpected(kb, kb->mem_map + kb->max_pfn - 1, 2, 0);
}

TEST(page_scan_past_mem_map_is_reported)
{
	struct kb_instance *kb = boot();

	/* the last page alone is in range (and free: as expected) */
	ASSERT_TRUE(kb != NULL);
	EXPECT_EQ(kb_pages_first_unexpected(kb, kb->mem_map + kb->max_pfn - 1, 1, 0), 1);
	kb_destroy(kb);
#ifdef KB_HAVE_ASAN
	{
		char out[4096], size[64];
		int status = in_child(scan_past_mem_map, out, sizeof(out));

		/* one access, the size of the scanned range, before any page is read */
		snprintf(size, sizeof(size), "READ of size %zu", 2 * sizeof(struct page));
		EXPECT_TRUE(status != 0);
		EXPECT_TRUE(strstr(out, "AddressSanitizer") != NULL);
		EXPECT_TRUE(strstr(out, size) != NULL);
	}
#endif
}

/*
 * Struct pages outside the memmap (a copy of some, as a checker keeps) are
 * judged by ASan's shadow alone: a live array is read without a report,
 * also one that ends exactly where mem_map begins (the memmap's first page
 * is not in the range), and the scan finds in the copy what it finds in
 * the pages copied; a freed array is reported (under ASan). The instance's
 * mem_map is pointed just past the array for the scan. The child exits 1
 * when the scans disagree.
 */
static void scan_pages_before_mem_map(bool freed)
{
	struct kb_instance *kb = boot();
	struct page *copy = calloc(8, sizeof(*copy)), *mem_map = kb->mem_map;
	unsigned long want = kb_pages_first_unexpected(kb, mem_map, 8, 0), got;
	unsigned int i;

	for (i = 0; i < 8; i++)
		copy[i] = mem_map[i];
	kb->mem_map = copy + 8;
	if (freed)
		free(copy);
	got = kb_pages_first_unexpected(kb, copy, 8, 0);
	kb->mem_map = mem_map;
	if (!freed)
		free(copy);
	kb_destroy(kb);
	if (got != want)
		_exit(1);
}

static void scan_live_pages_before_mem_map(void)
{
	scan_pages_before_mem_map(false);
}

static __attribute__((unused)) void scan_freed_pages_before_mem_map(void)
{
	scan_pages_before_mem_map(true);
}

TEST(page_scan_outside_mem_map_asks_the_shadow)
{
	char out[4096];

	EXPECT_EQ(in_child(scan_live_pages_before_mem_map, out, sizeof(out)), 0);
	EXPECT_TRUE(strstr(out, "AddressSanitizer") == NULL);
#ifdef KB_HAVE_ASAN
	EXPECT_TRUE(in_child(scan_freed_pages_before_mem_map, out, sizeof(out)) != 0);
	EXPECT_TRUE(strstr(out, "heap-use-after-free") != NULL);
#endif
}

TEST(pages_held_are_writable)
{
	char out[4096];

	EXPECT_EQ(in_child(write_while_allocated, out, sizeof(out)), 0);
}

TEST_MAIN()
