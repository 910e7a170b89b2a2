/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters every fuzz target keeps: inputs run and allocator
 * operations (or parsed operations) in them. At exit, and before a report
 * aborts the process, the target prints "kbuddy-stats: inputs=N ops=N".
 * When KBUDDY_FUZZ_STATS names a file, the counters are also added, as the
 * run goes, to that file's shared memory: every process of a run (libFuzzer
 * -fork workers, a restarted target) adds to the same totals, which
 * ci/fuzz_run.sh reads for its progress lines and its summary.
 *
 * The file: 32 bytes, host-endian uint64 words: the magic "kbstats1",
 * inputs, operations, and one spare. The counters are outputs only: nothing
 * an input does depends on them.
 */
#ifndef KB_FUZZ_RUN_STATS_H
#define KB_FUZZ_RUN_STATS_H

#include <stdint.h>

#define KB_FUZZ_STATS_ENV	"KBUDDY_FUZZ_STATS"

/* Maps the KBUDDY_FUZZ_STATS file if there is one; registers the exit line. */
void kb_fuzz_stats_init(void);
/* Counts inputs and operations. */
void kb_fuzz_stats_add(uint64_t inputs, uint64_t ops);
/* Prints "kbuddy-stats: inputs=N ops=N" (this process's counts) to stderr. */
void kb_fuzz_stats_print(void);

#endif /* KB_FUZZ_RUN_STATS_H */
