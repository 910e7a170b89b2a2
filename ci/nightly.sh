#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The nightly fuzzing run, within a time budget: every target with
# libFuzzer (-fork=2: two worker processes, crashes do not stop it) and
# with AFL++ (ci/afl_run.sh: main and secondary instance), one after the
# other so the run never wants more than two cores. A progress line every
# 10 s while it runs; then new coverage is merged back into corpus/<target> (libFuzzer
# -merge=1), the crashes of both engines are triaged by signature, the
# merged corpora and the tests are measured for coverage (ci/coverage.sh),
# and a report is written: OUT/report.html and OUT/report.md (gnuplot
# plots of execs/s, coverage and corpus size over time per engine, the
# engines' figures, every distinct crash with the command that reproduces
# it, the coverage table; ci/nightly_report.py) and OUT/report.txt.
#
# usage: ci/nightly.sh [--time SECONDS] [--targets "fuzz_ops fuzz_boot ..."]
#                      [--bug NAME] [--out DIR] [--no-afl] [--no-merge]
#                      [--no-coverage]
#   --time      the whole fuzzing budget (default 3600), split evenly over
#               targets, then half libFuzzer, half AFL++
#   --bug       fuzz a planted mutant (make BUG=NAME); its corpora are not
#               merged back
#   --out       report and work dir (default build/nightly/<date-time>)
#   --no-merge  leave corpus/ alone
#   --no-coverage  skip the coverage step (a build and a replay, a minute or two)
# Exit 0 when every engine ran (crashes found or not), 1 when one could not.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

budget=3600 targets='' bug=${BUG:-} out='' use_afl=1 merge=1 coverage=1
while [ $# -gt 0 ]; do
	case $1 in
	--time) budget=$2; shift 2 ;;
	--targets) targets=$2; shift 2 ;;
	--bug) bug=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--no-afl) use_afl=0; shift ;;
	--no-merge) merge=0; shift ;;
	--no-coverage) coverage=0; shift ;;
	-h|--help) sed -n '3,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "nightly.sh: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done
case $budget in ''|*[!0-9]*) echo "nightly.sh: --time takes whole seconds" >&2; exit 2 ;; esac
if [ -z "$targets" ]; then
	for f in fuzz/fuzz_*.c; do targets="$targets $(basename "$f" .c)"; done
fi
read -r -a targets <<<"$targets"
[ -n "$bug" ] && merge=0
out=${out:-build/nightly/$(date +%Y%m%d-%H%M%S)${bug:+-bug-$bug}}
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
report=$out/report.txt
log() { echo "nightly: $*" | tee -a "$out/progress.log"; }

# Builds: libFuzzer binaries and kbuddy of this configuration, AFL++ builds.
mvars=(BUG="$bug")
log "building (make fuzz-build kbuddy$([ $use_afl = 1 ] && echo ' afl') ${bug:+BUG=$bug})"
make --no-print-directory "${mvars[@]}" fuzz-build kbuddy >"$out/build.log" 2>&1 ||
	{ log "build failed: see $out/build.log"; exit 1; }
fuzz_dir=$(make -s --no-print-directory "${mvars[@]}" builddir | sed 's|/\([^/]*\)$|/fuzz-\1|')
kbuddy=$root/$(make -s --no-print-directory "${mvars[@]}" builddir)/kbuddy
if [ $use_afl = 1 ]; then
	if ! make --no-print-directory "${mvars[@]}" afl >>"$out/build.log" 2>&1; then
		log "AFL++ build failed (see $out/build.log): libFuzzer only"
		use_afl=0
	fi
fi
afl_build=build/afl-L2${bug:+-bug-$bug}

n=${#targets[@]}
per_target=$((budget / n))
if [ $use_afl = 1 ]; then
	lf_time=$(((per_target + 1) / 2)) afl_time=$((per_target / 2))
else
	lf_time=$per_target afl_time=0
fi
[ "$lf_time" -ge 10 ] || { echo "nightly.sh: --time $budget is too short for $n targets" >&2; exit 2; }
log "budget ${budget}s: ${targets[*]}; per target ${lf_time}s libFuzzer, ${afl_time}s AFL++"

. "$root/ci/libfuzzer_options.sh"
count() { find "$1" -type f 2>/dev/null | wc -l; }
status=0

for t in "${targets[@]}"; do
	w=$out/$t
	mkdir -p "$w/lf/corpus" "$w/lf/artifacts"
	[ -d "corpus/$t" ] && cp -R "corpus/$t/." "$w/lf/corpus/"
	before=$(count "$w/lf/corpus")
	echo "$before" >"$w/corpus_before"
	mapfile -t flags < <(kb_libfuzzer_options "fuzz/$t.options" "$root")
	log "$t: libFuzzer -fork=2 for ${lf_time}s from $before inputs"
	(cd "$w/lf" && KBUDDY_FUZZ_STATS=$w/lf/run.stats exec timeout -k 30 $((lf_time + 300)) "$root/$fuzz_dir/$t" \
		-fork=2 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		"${flags[@]}" -max_total_time="$lf_time" \
		-artifact_prefix="$w/lf/artifacts/" "$w/lf/corpus") >"$w/lf/fuzz.log" 2>&1 &
	pid=$!
	t0=$SECONDS next=$((SECONDS + 10)) last_execs=0
	while kill -0 $pid 2>/dev/null; do
		sleep 1
		[ $SECONDS -ge $next ] || continue
		e=$(bash ci/fuzz_progress.sh execs "$w/lf")
		log "$t: libFuzzer $((SECONDS - t0))s of ${lf_time}s: $e execs ($(( (e - last_execs) / 10 ))/s), $(bash ci/fuzz_progress.sh cov "$w/lf"), crashes $(bash ci/fuzz_progress.sh crashes "$w/lf")"
		bash ci/fuzz_progress.sh csv "$w/lf" $((SECONDS - t0)) $(( (e - last_execs) / 10 ))
		next=$((SECONDS + 10)) last_execs=$e
	done
	wait $pid
	rc=$?
	# the last row: the run's end, not its last 10-s mark
	e=$(bash ci/fuzz_progress.sh execs "$w/lf")
	bash ci/fuzz_progress.sh csv "$w/lf" $((SECONDS - t0)) \
		$(( (e - last_execs) / (SECONDS + 10 - next > 0 ? SECONDS + 10 - next : 1) ))
	grep -qE '^#[0-9]+: cov:|^INFO: fuzzed for' "$w/lf/fuzz.log" || {
		log "$t: libFuzzer did not run (exit $rc): see $w/lf/fuzz.log"; status=1; }

	if [ $use_afl = 1 ] && [ "$afl_time" -gt 0 ]; then
		log "$t: AFL++ main + secondary for ${afl_time}s"
		O=build CHECK_LEVEL=2 BUG="$bug" bash ci/afl_run.sh --target "$t" \
			--time "$afl_time" --build "$afl_build" --out "$w/afl" --kbuddy "$kbuddy" 2>&1 |
			tee "$w/afl.log" | grep --line-buffered '^afl:' | sed -u "s/^/nightly: $t: /" |
			tee -a "$out/progress.log"
		[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	fi

	# Merge what both engines kept: into corpus/ or, for a mutant, here.
	dest=$w/merged
	rm -rf "$dest"
	mkdir -p "$dest"
	srcs=("$w/lf/corpus")
	for q in "$w"/afl/*/queue; do [ -d "$q" ] && srcs+=("$q"); done
	ml=$(printf '%s\n' "${flags[@]}" | sed -n 's/^-max_len=//p')
	# corpus/T first: merge keeps its inputs and adds what covers more
	[ $merge = 1 ] && [ -d "corpus/$t" ] && srcs=("corpus/$t" "${srcs[@]}")
	log "$t: merging the corpora of both engines"
	bash ci/with_progress.sh "nightly: $t: merge" "$w/merge.log" \
		"$root/$fuzz_dir/$t" -merge=1 ${ml:+-max_len=$ml} -timeout=10 "$dest" "${srcs[@]}" ||
		log "$t: merge failed (see $w/merge.log)"
	echo "$(count "$dest")" >"$w/corpus_after"
	if [ $merge = 1 ] && [ "$(count "$dest")" -gt 0 ]; then
		mkdir -p "corpus/$t"
		cp -n "$dest"/* "corpus/$t/" 2>/dev/null
		log "$t: corpus/$t now $(count "corpus/$t") files"
	fi

	# Triage every crash file of both engines by signature.
	case $t in
	fuzz_ops) "$kbuddy" triage "$w" >"$w/triage.txt" 2>&1 ;;
	fuzz_boot) "$kbuddy" triage --boot "$w" >"$w/triage.txt" 2>&1 ;;
	*)	# parser crashes: the target itself reproduces them
		find "$w/lf/artifacts" "$w"/afl/*/crashes -type f \( -name 'crash-*' -o -name 'id:*' \) \
			2>/dev/null | sort | while read -r f; do
			echo "   1  $(basename "$f")  reproduce: $root/$fuzz_dir/$t $f"
		done >"$w/triage.txt"
		;;
	esac
done

# ------------------------------------------------------------- coverage
if [ $coverage = 1 ]; then
	cov_args=()
	for t in "${targets[@]}"; do
		[ -d "$out/$t/merged" ] && cov_args+=(--corpus "$t=$out/$t/merged")
	done
	log "coverage of the merged corpora and the tests (ci/coverage.sh)"
	bash ci/coverage.sh --out "$out/coverage" "${cov_args[@]}" >"$out/coverage.log" 2>&1 ||
		log "coverage failed (see $out/coverage.log)"
	grep -E '^(core|machine)/ \+ ' "$out/coverage.log" | sed 's/^/nightly: /' | tee -a "$out/progress.log"
fi

# ---------------------------------------------------------------- report
{
	printf 'date=%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'budget=%s\n' "$budget"
	printf 'build=%s\n' "${bug:+planted bug $bug, }check level 2, libFuzzer ASan+UBSan, AFL++ plain/CMPLOG and ASan+UBSan"
	printf 'targets=%s\n' "${targets[*]}"
} >"$out/run.info"
stat_of() { sed -n "s/^$2[[:space:]]*: //p" "$1" 2>/dev/null | head -n 1; }
{
	echo "kbuddy nightly fuzzing report"
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  budget: ${budget}s  build: ${bug:+planted bug $bug, }check level 2, ASan+UBSan (libFuzzer)"
	echo "work dir: $out"
	for t in "${targets[@]}"; do
		w=$out/$t
		echo
		echo "== $t"
		line=$(grep -E '^#[0-9]+: cov:' "$w/lf/fuzz.log" | tail -n 1)
		# the target's own count: every fork worker adds to it
		execs=$(bash ci/fuzz_progress.sh execs "$w/lf")
		cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
		ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
		# fork mode's own exec/s is per job and often 0: executions / time
		eps=$([ -n "$execs" ] && echo $((execs / lf_time)))
		echo "libFuzzer (-fork=2, ${lf_time}s): ${execs:-?} execs, ${eps:-?} execs/s (both workers together), cov ${cov:-?}, ft ${ft:-?}"
		if [ -f "$w/afl/main/fuzzer_stats" ]; then
			for i in main secondary; do
				f=$w/afl/$i/fuzzer_stats
				[ -f "$f" ] || continue
				secs=$(( $(stat_of "$f" last_update) - $(stat_of "$f" start_time) ))
				ex=$(stat_of "$f" execs_done)
				echo "AFL++ $i (${afl_time}s): $ex execs, $([ "$secs" -gt 0 ] && echo $((ex / secs)) || echo '?') execs/s, stability $(stat_of "$f" stability), bitmap $(stat_of "$f" bitmap_cvg), crashes $(stat_of "$f" saved_crashes), hangs $(stat_of "$f" saved_hangs)"
			done
		fi
		echo "corpus: $(cat "$w/corpus_before") -> $(cat "$w/corpus_after") files after merge$([ $merge = 1 ] && echo " (merged into corpus/$t)" || echo " (kept in $w/merged)")"
		if grep -qE '^ +[0-9]+  ' "$w/triage.txt" 2>/dev/null; then
			echo "crashes (one line per distinct signature; count, signature, smallest file, repro):"
			grep -E '^ +[0-9]+  ' "$w/triage.txt" | grep -v 'runs clean' | sed 's/^/  /'
			grep -E 'runs clean' "$w/triage.txt" | sed 's/^/  /'
		else
			echo "crashes: none"
		fi
	done
	echo
	echo "next steps for a crash: kbuddy reduce FILE; kbuddy promote FILE NAME (docs/fuzzing.md)"
} >"$report"
cat "$report"
python3 ci/nightly_report.py "$out" | sed 's/^/nightly: /' | tee -a "$out/progress.log"
exit $status
