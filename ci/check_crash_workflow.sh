#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The crash workflow commands on the correct allocator, with deliberate API
# misuse as the failing inputs (text-only operations the runner reports):
#   reduce   keeps the signature and shrinks to the operations that matter
#   triage   groups files by signature, finds libFuzzer and AFL++ names,
#            reports clean files apart
#   promote  refuses inputs that run clean or have no binary form
#   boot, boot-input  round trip a fuzz_boot seed
# tests/run_tests.sh runs it with KBUDDY set; exit 0 = pass.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
[ -x "$kbuddy" ] || { echo "check_crash_workflow: $kbuddy not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# A double free buried in noise.
{
	echo "layout default"
	for i in $(seq 1 12); do echo "alloc order=$((i % 4)) gfp=GFP_KERNEL cpu=$((i % 2))"; done
	echo "free a3 cpu=1"
	echo "drain cpu=1"
	for i in 4 5 6; do echo "free a$i"; done
	echo "sysctl watermark_scale_factor=100"
	echo "free a3 cpu=0"
	echo "alloc order=1 gfp=GFP_ATOMIC cpu=0"
	echo "free a7"
} >"$tmp/double.txt"
sig=$("$kbuddy" run --quiet "$tmp/double.txt" | grep '^KBUDDY-SIGNATURE:')
[ -n "$sig" ] || no "the double free input does not fail"
"$kbuddy" reduce --quiet "$tmp/double.txt" >"$tmp/reduce.log" 2>&1 || no "reduce exited non-zero: $(cat "$tmp/reduce.log")"
[ -f "$tmp/double.txt.min.txt" ] || no "reduce wrote no .min.txt"
sig2=$("$kbuddy" run --quiet "$tmp/double.txt.min.txt" | grep '^KBUDDY-SIGNATURE:')
[ "$sig" = "$sig2" ] || no "reduce changed the signature: '$sig' -> '$sig2'"
nops=$(grep -cE '^(alloc|free|drain|sysctl|pcp_)' "$tmp/double.txt.min.txt")
[ "$nops" -eq 3 ] || no "reduce left $nops operations, expected 3 (alloc, free, free)"
"$kbuddy" reduce -o "$tmp/named" --quiet "$tmp/double.txt" >/dev/null 2>&1
[ -f "$tmp/named.txt" ] || no "reduce -o BASE wrote no BASE.txt"

# A clean input has nothing to reduce or promote.
printf 'layout default\nalloc order=0 gfp=GFP_KERNEL cpu=0\nfree a1\n' >"$tmp/clean.txt"
"$kbuddy" reduce "$tmp/clean.txt" >/dev/null 2>&1 && no "reduce accepted a clean input"
mkdir -p "$tmp/reg"
"$kbuddy" promote -o "$tmp/reg" "$tmp/clean.txt" t1 >/dev/null 2>&1 && no "promote accepted a clean input"
"$kbuddy" promote -o "$tmp/reg" "$tmp/double.txt" t2 >/dev/null 2>&1 && no "promote accepted a text-only input"
"$kbuddy" promote -o "$tmp/reg" "$tmp/double.txt" '../x' >/dev/null 2>&1 && no "promote accepted a bad NAME"
[ -z "$(ls -A "$tmp/reg")" ] || no "a refused promote left files behind"

# Triage: two double frees, one wrong-order free, one clean file, one AFL++ name.
mkdir -p "$tmp/tri/artifacts" "$tmp/tri/afl/main/crashes"
cp "$tmp/double.txt" "$tmp/tri/artifacts/crash-aaaa"
printf 'layout zones\nalloc order=2\nfree a1\nfree a1\n' >"$tmp/tri/artifacts/crash-bbbb"
printf 'layout default\nalloc order=3\nfree a1 order=1\n' >"$tmp/tri/artifacts/crash-cccc"
cp "$tmp/clean.txt" "$tmp/tri/artifacts/crash-dddd"
cp "$tmp/double.txt.min.txt" "$tmp/tri/afl/main/crashes/id:000000,sig:06"
echo "not a crash file" >"$tmp/tri/afl/main/crashes/README.txt"
"$kbuddy" triage "$tmp/tri" >"$tmp/triage.log" 2>&1 || no "triage exited non-zero"
grep -q '^triage: 5 files, 2 distinct signatures' "$tmp/triage.log" ||
	no "triage did not find 5 files and 2 signatures: $(head -n 1 "$tmp/triage.log")"
grep -qE '^ +3  api-double-free free  smallest: .*/crash-bbbb ' "$tmp/triage.log" ||
	no "triage did not group the 3 double frees with the smallest one: $(cat "$tmp/triage.log")"
grep -qE '^ +1  \(runs clean' "$tmp/triage.log" || no "triage did not report the clean file"

# fuzz_boot inputs: a seed from a built-in layout boots and runs clean.
"$kbuddy" boot-input default tests/scenarios/buddy-split-merge.ops -o "$tmp/boot.bin" 2>/dev/null ||
	"$kbuddy" boot-input default -o "$tmp/boot.bin" || no "boot-input failed"
"$kbuddy" boot "$tmp/boot.bin" >"$tmp/boot.log" 2>&1 || no "boot of a seed failed: $(tail -n 3 "$tmp/boot.log")"
mkdir -p "$tmp/bt"
cp "$tmp/boot.bin" "$tmp/bt/crash-boot"
"$kbuddy" triage --boot "$tmp/bt" | grep -q 'runs clean' || no "triage --boot did not run the boot input"

[ $fail -eq 0 ] && echo "crash workflow: reduce, triage, promote, boot ok"
exit $fail
