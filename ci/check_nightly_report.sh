#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ci/nightly_report.py on a made-up nightly directory (what ci/nightly.sh
# leaves: series of both engines, AFL++'s fuzzer_stats, a triage, corpus
# counts, a coverage table): report.html and report.md hold the summary
# table, every target's engine figures, each crash signature with its
# reproduce command and the coverage table; with gnuplot installed, three
# PNG plots per target that are real images of the series. A real nightly
# takes an hour; this takes a second. Run by tests/run_tests.sh.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

out=$tmp/night
for t in fuzz_ops fuzz_boot; do
	mkdir -p "$out/$t/lf" "$out/$t/afl/main" "$out/$t/afl/secondary"
	{
		echo "seconds,execs,execs_per_s,cov,ft,corpus,crashes"
		for s in 10 20 30 40 50 60; do
			echo "$s,$((s * 900)),900,$((1000 + s * 3)),$((5000 + s * 20)),$((30 + s)),0"
		done
	} >"$out/$t/lf/series.csv"
	for i in main secondary; do
		{
			echo "seconds,execs,execs_per_s,queue,new_coverage,crashes"
			for s in 10 20 30; do echo "$s,$((s * 2000)),2000,$((100 + s * 4)),$((s / 2)),0"; done
		} >"$out/$t/afl/$i.series.csv"
		printf 'start_time        : 1000\nlast_update       : 1030\nexecs_done        : 60000\nstability         : 100.00%%\nbitmap_cvg        : 30.00%%\ncorpus_count      : 220\nsaved_crashes     : 0\nsaved_hangs       : 0\n' \
			>"$out/$t/afl/$i/fuzzer_stats"
	done
	echo 26 >"$out/$t/corpus_before"
	echo 91 >"$out/$t/corpus_after"
done
cat >"$out/fuzz_ops/triage.txt" <<'EOF'
triage: 5 files, 1 distinct signatures at check level 2
   5  nr-free alloc  smallest: /x/lf/artifacts/crash-abc (281 bytes)  reproduce: /k/kbuddy repro --binary /x/lf/artifacts/crash-abc
EOF
echo "triage: no crash files found" >"$out/fuzz_boot/triage.txt"
mkdir -p "$out/coverage"
printf 'core/ + checkers/: 93.0%% of 5893 lines run (72.0%% by the fuzz targets alone)\n' >"$out/coverage/summary.txt"
printf 'date=2026-12-02 02:00 UTC\nbudget=240\nbuild=check level 2\ntargets=fuzz_ops fuzz_boot\n' >"$out/run.info"

python3 ci/nightly_report.py "$out" >"$tmp/report.log" 2>&1 || no "nightly_report.py failed: $(cat "$tmp/report.log")"
for f in report.html report.md; do
	[ -s "$out/$f" ] || { no "no $f"; continue; }
	for want in "fuzz_ops" "fuzz_boot" "nr-free alloc" "/k/kbuddy repro --binary /x/lf/artifacts/crash-abc" \
		"libFuzzer (-fork=2): 54000 executions in 60 s (900/s), cov 1180" \
		"AFL++ main: 60000 executions in 30 s (2000/s), stability 100.00%" \
		"26 inputs before, 91 after" "93.0% of 5893 lines" "No crash or violation"; do
		grep -qF -- "$want" "$out/$f" || no "$f lacks '$want'"
	done
done
python3 -c 'import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())' "$out/report.html" ||
	no "report.html does not parse"
if command -v gnuplot >/dev/null; then
	for t in fuzz_ops fuzz_boot; do
		for p in execs coverage corpus; do
			png=$out/plots/$t-$p.png
			[ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
				[ "$(stat -c %s "$png")" -gt 5000 ] || no "no real plot $png"
			grep -qF "plots/$t-$p.png" "$out/report.html" || no "report.html does not show $png"
		done
	done
else
	echo "check_nightly_report: gnuplot not installed, plots not checked (bash ci/setup.sh)"
	grep -q "gnuplot is not installed" "$out/report.md" || no "the report does not say why it has no plots"
fi

if [ "$failed" -gt 0 ]; then
	echo "check_nightly_report: $failed failed"
	exit 1
fi
echo "check_nightly_report: report.html and report.md with plots, figures, crashes and coverage"
