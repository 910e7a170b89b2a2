#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A smoke run of `make mutation` (ci/mutation.py) on every `make check`:
# a few mutants, each killed on the regression inputs alone (no fuzzing,
# no unit tests), must end the way listed below. They are the tests of
# the loop bounds that no state can reach, only a lost step of the loop
# (docs/invariants.md, "Loop bounds"): each deletes the step and must be
# stopped by its loop's bound, not hang; the one of the text reader
# (core/textio.c) ends as a parse error that names the bound when the
# regression entries' text forms are read. One more is equivalent by its
# object code. The run also checks that every loop-* invariant of the
# registry has a test: here, or in tests/test_loop_bounds.c. Before the
# run, the tool's command line (--help, unknown arguments refused) and the
# lock of its work directory are checked without running a mutant.
#
# A key names a mutant by its line's text (ci/mutation.py --list prints
# them): when such a line changes, pick the new key of the same change.
#
# Environment: KBUDDY (the kbuddy under test, for its invariant list),
# BUILD_DIR (its build directory; the tree copy goes to its parent's
# mutation/), O (instead of that parent).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

# key  expected end            the change
expect=(
	5024e98439 loop-get-page-from-freelist		# alloc.c: the NOFRAGMENT retry keeps its flag
	f572d3ae20 loop-free-pages-memory		# boot.c: order-- of a chunk too large
	ac4739f90b loop-memblock-free-all		# boot.c: pfn++ past a pfn not free
	3fbd36b20d loop-free-all-bootmem-core		# boot.c: start = ALIGN_UP(start + 1, ...)
	f2c9ccdd21 loop-split-large-buddy		# buddy.c: pfn += 1UL << order
	509ad33d73 loop-alloc-contig-migrate-range	# contig.c: pfn += past a free block
	28939f47c7 loop-release-free-list		# contig.c: kb_list_del of a released block
	32ca100be8 loop-split-free-pages		# contig.c: kb_list_del of a split block
	49cf8ce2d8 loop-prep-move-freepages-block	# fallback.c: pfn += past a free block
	e8a283cef0 loop-move-freepages-block		# fallback.c: pfn += past a moved block
	afe61442c1 loop-test-page-isolated-in-pageblock	# page_isolation.c: pfn += past a free block
	4ce61359d5 loop-build-zonelists			# zonelist.c: used[node] = true of the local node
	63d22f9843 loop-text-next-line			# textio.c: a line end not consumed (the reader stops advancing)
	ffbad16f0e equivalent				# alloc.c: kb_page_to_pfn for page_to_pfn
)

kbuddy=${KBUDDY:-build/kbuddy}
if [ -z "${O:-}" ]; then
	O=build
	[ -n "${BUILD_DIR:-}" ] && O=$(dirname "$BUILD_DIR")
fi
[ -x "$kbuddy" ] || { echo "check_mutation: $kbuddy not built"; exit 1; }
command -v python3 >/dev/null || { echo "check_mutation: needs python3 (make setup)"; exit 1; }

fail=0
pairs=() names=" "
for ((i = 0; i < ${#expect[@]}; i += 2)); do
	pairs+=("${expect[i]}=${expect[i + 1]}")
	names+="${expect[i + 1]} "
done

# every loop bound has a test
while read -r name _; do
	case $name in loop-*) ;; *) continue ;; esac
	case $names in *" $name "*) continue ;; esac
	grep -q "\"$name\"" tests/test_loop_bounds.c && continue
	echo "FAIL: $name has no test (tests/test_loop_bounds.c or a mutant in $0)"
	fail=1
done < <("$kbuddy" invariants)

log=$(mktemp)
scratch=$(mktemp -d)
trap 'rm -rf "$log" "$scratch"' EXIT

# the command line: --help prints the usage and exits 0; anything else
# unknown is an error (exit 2) before any work, so it never starts a campaign
python3 ci/mutation.py --help >"$scratch/help" 2>&1
status=$?
{ [ $status -eq 0 ] && grep -q '^Usage: ci/mutation.py \[--list\] \[--help\]' "$scratch/help"; } ||
	{ echo "FAIL: ci/mutation.py --help: exit $status, no usage"; fail=1; }
for args in --bogus -x "--list extra" "--list --lsit"; do
	# shellcheck disable=SC2086 # the words of $args are the arguments
	O="$scratch/o" python3 ci/mutation.py $args >"$scratch/out" 2>&1
	status=$?
	{ [ $status -eq 2 ] && grep -q '^usage: ci/mutation.py' "$scratch/out" &&
		grep -q 'unknown argument' "$scratch/out" && [ ! -e "$scratch/o" ]; } ||
		{ echo "FAIL: ci/mutation.py $args: exit $status (want 2 with the usage, nothing done)"; fail=1; }
done

# the work directory's lock: while another process holds $O/mutation/lock,
# a run stops at once (exit 2) and names the holder
mkdir -p "$scratch/held/mutation"
(
	flock -n 9 || exit 1
	echo "pid 4242 (a campaign holding the lock)" >&9
	sleep 30
) 9>"$scratch/held/mutation/lock" &
holder=$!
for _ in $(seq 50); do grep -q 4242 "$scratch/held/mutation/lock" 2>/dev/null && break; sleep 0.1; done
O="$scratch/held" timeout 60 python3 ci/mutation.py --list >"$scratch/out" 2>&1
status=$?
{ [ $status -eq 2 ] && grep -q 'mutation: .*/held/mutation is in use by pid 4242 (a campaign holding the lock)' "$scratch/out" &&
	[ ! -e "$scratch/held/mutation/tree" ]; } ||
	{ echo "FAIL: a second run on a held work directory: exit $status"; sed 's/^/  /' "$scratch/out"; fail=1; }
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
MUTATION_EXPECT="${pairs[*]}" MUTATION_TIME=0 MUTATION_TESTS=0 O="$O" \
	python3 ci/mutation.py >"$log" 2>&1
status=$?
if [ $status -ne 0 ]; then
	grep -E '^(EXPECTED|mutation:)' "$log" | sed 's/^/FAIL: /'
	[ $status -ge 2 ] && tail -n 20 "$log"
	fail=1
fi
# the run left its own name in the lock (what a second run would print)
grep -qE '^pid [0-9]+ \(.*ci/mutation.py, started [0-9-]+ [0-9:]+ UTC in ' "$O/mutation/lock" ||
	{ echo "FAIL: $O/mutation/lock does not name the run that held it"; fail=1; }
n=$(grep -c '^\[' "$log")
echo "check_mutation: $n mutants ran, $((${#expect[@]} / 2)) expected$([ $fail = 0 ] && echo ", all as listed")"
exit $fail
