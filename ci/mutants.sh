#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation testing (`make mutants`): for each mutant of
# corpus/mutants/mutants.list, build its libFuzzer fuzz_ops (the fuzz_ops
# of make fuzz-build BUG=name, alone), fuzz it for MUTANT_TIME seconds on one core
# from the shipped seeds (corpus/fuzz_ops, plus the generic seeds
# corpus/mutants/seeds/*.bin for layouts that corpus lacks; never a
# witness) at the strict check level (the
# build's level, 2 by default), then again for the same budget at the
# kernel-equivalent level (KBUDDY_CHECK_LEVEL=1). One fuzz job at a time.
# Prints a progress line every 10 s while a mutant builds or fuzzes, then
# a table (mutant, found, seconds to the first violation, the invariant of
# its KBUDDY-SIGNATURE line, the same for level 1) and writes it to
# $O/mutants-report.md; each run's log and crash input stay in
# $O/mutants-work/NAME/{strict,kernel}/.
#
# Environment (make passes CC, SAN, O, MAKE, CHECK_LEVEL, PROFILE):
#   MUTANT_TIME   seconds per mutant and level (default 30)
#   MUTANTS       space-separated names to run (default: every reachable one)
#   MUTANT_SAN    sanitizers of the mutant builds (default none: three times
#                 the executions per second of address,undefined; the
#                 checker, not a sanitizer, is what finds these bugs)
#   MUTANT_SEED   libFuzzer -seed (default 1), so a rerun explores the same way
#   MUTANT_LEVEL1 0 skips the level-1 runs (default 1)
#   MUTANT_CFLAGS extra flags of the mutant builds (default none)
# Exit status: 0 when every run completed (found or not), 2 when a build or
# the fuzzer itself failed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

MAKE=${MAKE:-make}
O=${O:-build}
budget=${MUTANT_TIME:-30}
san=${MUTANT_SAN:-none}
seed=${MUTANT_SEED:-1}
level1=${MUTANT_LEVEL1:-1}
mcflags=${MUTANT_CFLAGS-}
list=corpus/mutants/mutants.list

case $budget in ''|*[!0-9]*|0)
	echo "mutants: MUTANT_TIME must be a positive whole number of seconds (got '$budget')" >&2
	exit 2 ;;
esac
case $seed in ''|*[!0-9]*)
	echo "mutants: MUTANT_SEED must be a whole number (got '$seed')" >&2; exit 2 ;;
esac
[ -f "$list" ] || { echo "mutants: $list is missing" >&2; exit 2; }

abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
O=$(abs "$O")

# name -> expected invariant / reason it cannot fire
declare -A expect=() unreachable=()
names=()
while read -r name inv rest; do
	case $name in ''|'#'*) continue ;; esac
	names+=("$name")
	expect[$name]=$inv
	case $rest in unreachable:*) unreachable[$name]=${rest#unreachable: } ;; esac
done <"$list"

if [ -n "${MUTANTS:-}" ]; then
	for n in $MUTANTS; do
		[ -n "${expect[$n]:-}" ] || { echo "mutants: unknown mutant '$n' (see $list)" >&2; exit 2; }
	done
	selected=($MUTANTS)
else
	selected=("${names[@]}")
fi

# libFuzzer flags: the [libfuzzer] keys of fuzz/fuzz_ops.options (dict
# relative to fuzz/), as ci/fuzz_run.sh reads them.
. "$root/ci/libfuzzer_options.sh"
mapfile -t shipped < <(kb_libfuzzer_options fuzz/fuzz_ops.options "$root")
flags=(-timeout=10 -rss_limit_mb=2048 -max_len=1025 "${shipped[@]}")
flags+=("-seed=$seed" "-max_total_time=$budget" -print_final_stats=1)

# The fuzz build directory of a configuration, as the Makefile names it.
fuzz_dir_of() {	# BUG
	"$MAKE" -s --no-print-directory -f Makefile -f <(printf 'kb-print-fuzz-dir:\n\t@echo $(FUZZ_DIR)\n') \
		kb-print-fuzz-dir BUG="$1" SAN="$san" O="$O"
}

now() { date +%s%N; }

# The seeds every run starts from.
seeds=$O/mutants-work/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
cp corpus/fuzz_ops/* "$seeds/" 2>/dev/null
cp corpus/mutants/seeds/*.bin "$seeds/" 2>/dev/null

# One fuzz run. Sets r_found (yes: a checker violation; crash: a sanitizer
# or signal report without one; no; error: the fuzzer did not run), r_time
# (s), r_sig (the invariant, or the crash kind), r_by (seed: while libFuzzer
# ran the seed inputs, before its INITED line; fuzz: on a generated input).
fuzz_once() {	# BIN WORKDIR LEVEL
	local bin=$1 work=$2 level=$3 t0 t1 status
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	t0=$(now)
	(cd "$work" && KBUDDY_CHECK_LEVEL=$level KBUDDY_FUZZ_STATS=$work/run.stats \
		exec timeout -k 10 $((budget + 120)) \
		"$bin" "${flags[@]}" "-artifact_prefix=$work/artifacts/" \
		"$work/corpus" "$seeds") >"$work/fuzz.log" 2>&1 &
	local pid=$! start=$SECONDS next=$((SECONDS + 10))
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.5
		[ $SECONDS -ge $next ] || continue
		next=$((SECONDS + 10))
		printf '    ... %s level %s: %ss of %ss, %s execs\n' "$progress_name" "$level" \
			$((SECONDS - start)) "$budget" "$(bash ci/fuzz_progress.sh execs "$work")"
	done
	wait "$pid"
	status=$?
	t1=$(now)
	r_time=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	r_sig=$(sed -n 's/^KBUDDY-SIGNATURE: \([^ ]*\).*/\1/p' "$work/fuzz.log" | head -n 1)
	r_by=fuzz
	grep -q 'INITED' "$work/fuzz.log" || r_by=seed
	grep -q '^INFO: Seed:' "$work/fuzz.log" || r_by=init
	if [ -n "$r_sig" ]; then
		r_found=yes
	elif [ -n "$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' \
		-o -name 'oom-*' -o -name 'leak-*' \) | head -n 1)" ]; then
		r_found=crash
		r_sig=$(sed -n 's/.*ERROR: [A-Za-z]*Sanitizer: \([A-Za-z-]*\).*/\1/p; s/.*ERROR: libFuzzer: \([a-z-]*\).*/\1/p; s/.*runtime error.*/runtime-error/p' \
			"$work/fuzz.log" | head -n 1)
		r_sig=${r_sig:-crash}
	elif [ $r_by = init ] && [ $status -ne 0 ]; then
		# LLVMFuzzerInitialize (fuzz_ops' warm-up, check level 0) crashed.
		r_found=crash
		r_sig=$(sed -n 's/.*ERROR: [A-Za-z]*Sanitizer: \([A-Za-z-]*\).*/\1/p' "$work/fuzz.log" | head -n 1)
		r_sig=${r_sig:-exit-$status}
	elif [ $status -eq 0 ]; then
		r_found=no
		r_sig=-
	else
		r_found=error
		r_sig="exit_$status"
	fi
	return 0
}

report=$O/mutants-report.md
workroot=$O/mutants-work
mkdir -p "$workroot" || exit 2
rows=()
failed=0
declare -a times=()
nr_seed=0 nr_run=0 nr_found=0 nr_l1=0 nr_l1_crash=0 nr_crash=0 nr_unreach=0

echo "mutants: ${#selected[@]} mutants, ${budget}s each at level 2$([ "$level1" = 1 ] && echo " and at level 1"), SAN=$san, seed $seed"
k=0
for name in "${selected[@]}"; do
	k=$((k + 1))
	progress_name="$k of ${#selected[@]} $name"
	if [ -n "${unreachable[$name]:-}" ]; then
		nr_unreach=$((nr_unreach + 1))
		rows+=("| \`$name\` | unreachable | | | | | | ${unreachable[$name]} |")
		printf '  %-30s unreachable\n' "$name"
		continue
	fi
	log=$workroot/$name/build.log
	mkdir -p "$workroot/$name"
	# Only the fuzz_ops binary of fuzz-build: the mutant's kbuddy is not needed here.
	bin=$(fuzz_dir_of "$name")/fuzz_ops
	if ! bash ci/with_progress.sh "$progress_name: build" "$log" \
		"$MAKE" --no-print-directory "$bin" BUG="$name" SAN="$san" O="$O" \
		EXTRA_CFLAGS="$mcflags"; then
		failed=1
		rows+=("| \`$name\` | build failed | | | | | | see $log |")
		printf '  %-30s BUILD FAILED (%s)\n' "$name" "$log"
		continue
	fi
	nr_run=$((nr_run + 1))

	fuzz_once "$bin" "$workroot/$name/strict" 2
	s_found=$r_found s_time=$r_time s_sig=$r_sig s_by=$r_by
	[ "$s_by" = seed ] && [ "$s_found" != no ] && nr_seed=$((nr_seed + 1))
	[ "$s_found" = error ] && failed=1
	if [ "$s_found" = yes ] || [ "$s_found" = crash ]; then
		[ "$s_found" = yes ] && nr_found=$((nr_found + 1))
		[ "$s_found" = crash ] && nr_crash=$((nr_crash + 1))
		times+=("$s_time")
	else
		s_time="> $budget"
	fi
	note=
	[ "$s_found" = yes ] && [ "${expect[$name]}" != - ] && [ "$s_sig" != "${expect[$name]}" ] &&
		note="witness: ${expect[$name]}"

	k_found=- k_time= k_sig=
	if [ "$level1" = 1 ]; then
		fuzz_once "$bin" "$workroot/$name/kernel" 1
		k_found=$r_found k_time=$r_time k_sig=$r_sig
		[ "$k_found" = error ] && failed=1
		[ "$k_found" = yes ] && nr_l1=$((nr_l1 + 1))
		[ "$k_found" = crash ] && nr_l1_crash=$((nr_l1_crash + 1))
		case $k_found in yes|crash) ;; *) k_time="> $budget" ;; esac
	fi
	by=
	case $s_found in yes|crash) by=$s_by ;; esac
	rows+=("| \`$name\` | $s_found | $s_time | $by | $s_sig | $k_found | $k_time | ${k_sig:+$k_sig }${note:+($note)} |")
	printf '  %-30s strict: %-5s %6ss %-24s' "$name" "$s_found" "${s_time#> }" "$s_sig"
	[ "$level1" = 1 ] && printf ' level 1: %-5s %6ss %s' "$k_found" "${k_time#> }" "$k_sig"
	echo
done

median=-
if [ ${#times[@]} -gt 0 ]; then
	median=$(printf '%s\n' "${times[@]}" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
fi

{
	echo "# Mutation testing report"
	echo
	echo "Per mutant: fuzz_ops built with BUG=name (SAN=$san, EXTRA_CFLAGS=$mcflags), ${budget} s of libFuzzer"
	echo "(-seed=$seed, one core) from corpus/fuzz_ops and corpus/mutants/seeds, first at"
	echo "check level 2 (strict),"
	echo "then at level 1 (KBUDDY_CHECK_LEVEL=1, the kernel's own DEBUG_VM checks)."
	echo "Time is wall time from start to the first violation (the run stops there)."
	echo "\"yes\": a KBUDDY-SIGNATURE (checker) report; \"crash\": the allocator crashed"
	echo "(the signal or sanitizer report named) before any check saw the damage."
	echo "\"by\": seed when a shipped seed input itself showed the violation (libFuzzer's"
	echo "first pass over the seeds), fuzz when a generated input did, init when"
	echo "fuzz_ops crashed in LLVMFuzzerInitialize (its warm-up runs at check level 0)."
	echo
	echo "| mutant | level 2 found | time (s) | by | invariant | level 1 found | time (s) | level 1 invariant / notes |"
	echo "|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Level 2 found $nr_found of $nr_run fuzzed mutants$([ $nr_crash -gt 0 ] && echo " (and $nr_crash crashed first)");" \
		"median time to detection ${median} s; $nr_seed of them by a seed input."
	if [ "$level1" = 1 ]; then
		echo "Level 1 found $nr_l1 of $nr_run$([ $nr_l1_crash -gt 0 ] && echo " (and $nr_l1_crash more only by crashing)"):" \
			"its checks miss $((nr_run - nr_l1))."
	fi
	[ $nr_unreach -gt 0 ] && echo "$nr_unreach mutants are unreachable with the current operations (not fuzzed)."
	echo
	echo "Reproduce: make mutants MUTANT_TIME=$budget MUTANT_SEED=$seed${MUTANTS:+ MUTANTS=\"$MUTANTS\"}"
} >"$report"

echo
echo "level 2: found $nr_found of $nr_run (crashed $nr_crash), median ${median} s$([ "$level1" = 1 ] && echo "; level 1: found $nr_l1 of $nr_run (crashed $nr_l1_crash, checks miss $((nr_run - nr_l1)))")"
[ $nr_unreach -gt 0 ] && echo "unreachable (not fuzzed): $nr_unreach"
echo "report: $report"
exit $((failed * 2))
