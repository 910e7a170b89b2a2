#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The crash workflow commands on the correct allocator, with deliberate API
# misuse as the failing fuzz_ops inputs (text-only operations the runner
# reports):
#   reduce   keeps the signature and shrinks to the operations that matter
#   triage   groups files by signature, finds libFuzzer and AFL++ names,
#            reports clean files apart
#   promote  refuses inputs that run clean or have no binary form
#   boot, boot-input  round trip a fuzz_boot seed
# and for fuzz_boot inputs: the text form round-trips and bad text forms
# get a clear error; then, on a build with a planted bug
# (nr_free_not_decremented, built like ci/check_mutants.sh does), a noisy
# fuzz_boot crash input is reproduced (same signature twice), triaged,
# reduced (smaller, same signature) and promoted into a scratch tree,
# where ci/check_regression.sh fails it on the bug and passes it on the
# correct build.
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

# Triage of files named on the command line (read by content): two double
# frees, one wrong-order free, one clean file, one AFL++ name.
mkdir -p "$tmp/tri/artifacts" "$tmp/tri/afl/main/crashes"
cp "$tmp/double.txt" "$tmp/tri/artifacts/crash-aaaa"
printf 'layout zones\nalloc order=2\nfree a1\nfree a1\n' >"$tmp/tri/artifacts/crash-bbbb"
printf 'layout default\nalloc order=3\nfree a1 order=1\n' >"$tmp/tri/artifacts/crash-cccc"
cp "$tmp/clean.txt" "$tmp/tri/artifacts/crash-dddd"
cp "$tmp/double.txt.min.txt" "$tmp/tri/afl/main/crashes/id:000000,sig:06"
"$kbuddy" triage "$tmp"/tri/artifacts/crash-* "$tmp/tri/afl/main/crashes/id:000000,sig:06" \
	>"$tmp/triage.log" 2>&1 || no "triage exited non-zero"
grep -q '^triage: 5 files, 2 distinct signatures' "$tmp/triage.log" ||
	no "triage did not find 5 files and 2 signatures: $(head -n 1 "$tmp/triage.log")"
grep -qE '^ +3  api-double-free free  smallest: .*/crash-bbbb ' "$tmp/triage.log" ||
	no "triage did not group the 3 double frees with the smallest one: $(cat "$tmp/triage.log")"
grep -qE '^ +1  \(runs clean' "$tmp/triage.log" || no "triage did not report the clean file"
# The reproduce command is whole: this kbuddy's absolute path, the file's.
self=$(readlink -f "$kbuddy")
grep -qF "reproduce: $self repro $(readlink -f "$tmp")/tri/artifacts/crash-bbbb" "$tmp/triage.log" ||
	no "triage's reproduce command is not '$self repro /abs/path': $(cat "$tmp/triage.log")"

# Triage of a directory: the fuzzers' files (AFL++ names too, not a README,
# not reduce's .min.bin/.min.txt beside them), read as the binary inputs
# the fuzzer ran even when their bytes look like text.
cp "$tmp/double.txt.min.txt" "$tmp/tri/artifacts/crash-aaaa.min.txt"
"$kbuddy" encode "$tmp/double.txt.min.txt" -o "$tmp/tri/artifacts/crash-aaaa.min.bin" 2>/dev/null ||
	cp "$tmp/clean.txt" "$tmp/tri/artifacts/crash-aaaa.min.bin"
echo "not a crash file" >"$tmp/tri/afl/main/crashes/README.txt"
# reduce beside an AFL++ crash: id:...min.bin / .min.txt are no crashes either
cp "$tmp/tri/artifacts/crash-aaaa.min.bin" "$tmp/tri/afl/main/crashes/id:000000,sig:06.min.bin"
cp "$tmp/double.txt.min.txt" "$tmp/tri/afl/main/crashes/id:000000,sig:06.min.txt"
"$kbuddy" triage "$tmp/tri" >"$tmp/triage-dir.log" 2>&1 || no "triage of a directory exited non-zero"
grep -q '^triage: 5 files, ' "$tmp/triage-dir.log" ||
	no "triage of a directory did not take exactly the 5 crash files: $(head -n 1 "$tmp/triage-dir.log")"
grep -q 'api-double-free' "$tmp/triage-dir.log" &&
	no "triage read a fuzzer's text-looking file as text: $(cat "$tmp/triage-dir.log")"

# fuzz_boot inputs: a seed from a built-in layout boots and runs clean.
"$kbuddy" boot-input default tests/scenarios/buddy-split-merge.ops -o "$tmp/boot.bin" 2>/dev/null ||
	"$kbuddy" boot-input default -o "$tmp/boot.bin" || no "boot-input failed"
"$kbuddy" boot "$tmp/boot.bin" >"$tmp/boot.log" 2>&1 || no "boot of a seed failed: $(tail -n 3 "$tmp/boot.log")"
mkdir -p "$tmp/bt"
cp "$tmp/boot.bin" "$tmp/bt/crash-boot"
"$kbuddy" triage --boot "$tmp/bt" | grep -q 'runs clean' || no "triage --boot did not run the boot input"

# The fuzz_boot text form round-trips: the shipped fuzz_boot corpus and the
# fuzz_ops corpus read as fuzz_boot bytes decode to a text form that
# encodes to bytes decoding to the same text, and runs the same way.
rt=0
shopt -s nullglob
for f in corpus/fuzz_boot/* corpus/fuzz_ops/*; do
	rt=$((rt + 1))
	"$kbuddy" decode --target fuzz_boot "$f" -o "$tmp/rt1.txt" 2>/dev/null &&
		"$kbuddy" encode "$tmp/rt1.txt" -o "$tmp/rt.bin" &&
		"$kbuddy" decode --target fuzz_boot "$tmp/rt.bin" -o "$tmp/rt2.txt" &&
		cmp -s "$tmp/rt1.txt" "$tmp/rt2.txt" || { no "text form of $f does not round-trip"; continue; }
	a=$("$kbuddy" run --target fuzz_boot --quiet "$f" 2>&1 | grep '^KBUDDY-SIGNATURE:')
	b=$("$kbuddy" run --quiet "$tmp/rt1.txt" 2>&1 | grep '^KBUDDY-SIGNATURE:')
	[ "$a" = "$b" ] || no "$f and its text form run differently: '$a' / '$b'"
done
shopt -u nullglob
[ $rt -gt 0 ] || no "no fuzz_boot corpus to round-trip"

# A fuzz_boot input with noise around a planted bug: nr_free is not
# decremented when an allocation falls back (nr_free_not_decremented).
cat >"$tmp/noisy.txt" <<'EOT'
# kbuddy boot-input v1
max_page_order 10
pageblock_order 9
node 0 cpus 2
zone 0 DMA 0x1 0x1000
zone 0 DMA32 0x1000 0x2800
zone 0 Normal 0x2800 0x3000
node 1 cpus 2
zone 1 Normal 0x3000 0x4000
zone 1 Movable 0x4000 0x4800
distance 0 1 30
hole 0x9f 0x100
hole 0x1800 0x1a00
hole 0x3a98 0x3abd
reserved 0x1 0x40
reserved 0x2328 0x2329
reserved 0x3100 0x3180
cma 0x4200 0x4400
min_free_kbytes 512
boot bootmem
operations
alloc order=3 gfp=GFP_HIGHUSER_MOVABLE cpu=3 -> a1
sysctl watermark_scale_factor=100
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=1 -> a2
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a3
alloc order=1 gfp=GFP_ATOMIC cpu=2 nid=1 -> a4
drain cpu=1
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a5
free a1 cpu=3
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=1 -> a6
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a7
pcp_disable node=1 zone=Normal
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a8
alloc order=9 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a9
pcp_enable node=1 zone=Normal
alloc order=0 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=1 -> a10
free a4 cpu=2
alloc order=0 gfp=GFP_KERNEL|__GFP_DMA|__GFP_MOVABLE cpu=0 -> a11
alloc order=2 gfp=GFP_KERNEL cpu=2 -> a12
EOT
"$kbuddy" encode "$tmp/noisy.txt" -o "$tmp/crash.bin" || no "encode of a fuzz_boot text form failed"
"$kbuddy" run --target fuzz_boot --quiet "$tmp/crash.bin" >/dev/null 2>&1 ||
	no "the fuzz_boot crash input fails on the correct build"

# Bad fuzz_boot input: one clear line, exit 2.
bad() {	# pattern file [flags]: kbuddy repro must refuse it
	local pattern=$1 file=$2 out
	shift 2
	out=$("$kbuddy" repro "$@" "$file" 2>&1)
	[ $? -eq 2 ] && grep -q -- "$pattern" <<<"$out" || no "repro $* $file: '$out' (expected exit 2 and '$pattern')"
}
head -c 120 "$tmp/noisy.txt" >"$tmp/trunc.txt"
bad "no 'operations' line" "$tmp/trunc.txt"
sed 's/boot-input v1/boot-input v7/' "$tmp/noisy.txt" >"$tmp/v7.txt"
bad "unsupported boot-input format version '7'" "$tmp/v7.txt"
{ head -n 3 "$tmp/noisy.txt"; printf 'node 0 cpus 2\0\n'; } >"$tmp/nul.txt"
bad "NUL byte" "$tmp/nul.txt"
sed 's/^free a4 cpu=2/free a4 cpu=2 order=1/' "$tmp/noisy.txt" >"$tmp/textonly.txt"
bad "free with order= is text only" "$tmp/textonly.txt"
sed 's/cpu=3/cpu=4/' "$tmp/noisy.txt" >"$tmp/cpu.txt"
bad "cpu 4 out of range" "$tmp/cpu.txt"
{ cat "$tmp/noisy.txt"; for i in $(seq 60); do echo drain_all; done; } >"$tmp/long.txt"
bad "at most 64" "$tmp/long.txt"
bad "not a fuzz_ops input" "$tmp/noisy.txt" --target fuzz_ops
bad "takes fuzz_ops or fuzz_boot" "$tmp/noisy.txt" --target fuzz_nothing

# The planted bug's build: kbuddy only, no sanitizer (as ci/check_mutants.sh).
MAKE=${MAKE:-make}
O=${O:-$(dirname "${BUILD_DIR:-build/.}")}
make_args=(--no-print-directory SAN=none O="$O" BUG=nr_free_not_decremented)
[ -n "${CC:-}" ] && make_args+=(CC="$CC")
[ -n "${CHECK_LEVEL:-}" ] && make_args+=(CHECK_LEVEL="$CHECK_LEVEL")
mutant=
if "$MAKE" "${make_args[@]}" kbuddy >"$tmp/make.log" 2>&1; then
	mutant=$("$MAKE" -s "${make_args[@]}" builddir)/kbuddy
	case $mutant in /*) ;; *) mutant=$(pwd)/$mutant ;; esac
else
	no "the nr_free_not_decremented build failed: $(tail -n 5 "$tmp/make.log")"
fi

if [ -n "$mutant" ] &&
	! "$mutant" run --quiet --target fuzz_boot "$tmp/crash.bin" >/dev/null 2>&1; then
	# repro: the same signature twice, with --target fuzz_boot.
	s1=$("$mutant" repro --level 2 --target fuzz_boot "$tmp/crash.bin" | grep '^KBUDDY-SIGNATURE:')
	s2=$("$mutant" repro --level 2 --target fuzz_boot "$tmp/crash.bin" | grep '^KBUDDY-SIGNATURE:')
	[ -n "$s1" ] && [ "$s1" = "$s2" ] || no "repro of the fuzz_boot crash: '$s1' then '$s2'"
	s3=$("$mutant" repro --level 2 "$tmp/noisy.txt" | grep '^KBUDDY-SIGNATURE:')
	[ "$s1" = "$s3" ] || no "repro of the text form: '$s3', of the binary: '$s1'"

	# triage: the crash file found, grouped, and its reproducer names the target.
	mkdir -p "$tmp/btri/artifacts"
	cp "$tmp/crash.bin" "$tmp/btri/artifacts/crash-1"
	cp "$tmp/crash.bin" "$tmp/btri/artifacts/crash-2"
	cp "$tmp/boot.bin" "$tmp/btri/artifacts/crash-3"
	"$mutant" triage --target fuzz_boot "$tmp/btri" >"$tmp/btri.log" 2>&1
	grep -qE "^ +2  ${s1#KBUDDY-SIGNATURE: } .*reproduce: /[^ ]*/kbuddy repro --target fuzz_boot /" "$tmp/btri.log" ||
		no "triage --target fuzz_boot: $(cat "$tmp/btri.log")"

	# reduce: fewer bytes, operations and pages, the same signature.
	"$mutant" reduce --quiet --target fuzz_boot "$tmp/crash.bin" >"$tmp/breduce.log" 2>&1 ||
		no "reduce of the fuzz_boot crash failed: $(cat "$tmp/breduce.log")"
	sed -n 's/^ *\(before\|after\): /fuzz_boot reduce, \1: /p' "$tmp/breduce.log"
	m=$tmp/crash.bin.min
	[ -f "$m.bin" ] && [ -f "$m.txt" ] || no "reduce wrote no $m.bin and $m.txt"
	r1=$("$mutant" repro --level 2 --target fuzz_boot "$m.bin" | grep '^KBUDDY-SIGNATURE:')
	r2=$("$mutant" repro --level 2 "$m.txt" | grep '^KBUDDY-SIGNATURE:')
	[ "$r1" = "$s1" ] && [ "$r2" = "$s1" ] || no "reduce changed the signature: '$s1' -> '$r1' / '$r2'"
	[ "$(stat -c %s "$m.bin")" -lt "$(stat -c %s "$tmp/crash.bin")" ] ||
		no "reduce did not make the input smaller"
	nops=$(sed -n '/^operations$/,$p' "$m.txt" | grep -cE '^(alloc|free|drain|sysctl|pcp_|oom)')
	[ "$nops" -lt 18 ] || no "reduce left $nops of 18 operations"
	grep -q '^node 1' "$m.txt" && no "reduce kept node 1, which the bug does not need"
	"$kbuddy" encode "$m.txt" -o "$tmp/min2.bin" && cmp -s "$tmp/min2.bin" "$m.bin" ||
		no "the reduced text form does not encode to the reduced binary"

	# promote: into corpus/regression/fuzz_boot/ of a tree, replayed the way
	# make regress replays it: fails on the planted bug, passes when correct.
	mkdir -p "$tmp/tree/corpus/regression"
	(cd "$tmp/tree" && "$mutant" promote --target fuzz_boot "$tmp/crash.bin" boot-nr-free) \
		>"$tmp/promote.log" 2>&1 || no "promote of the fuzz_boot crash failed: $(cat "$tmp/promote.log")"
	reg=$tmp/tree/corpus/regression
	for ext in bin txt why; do
		[ -f "$reg/fuzz_boot/boot-nr-free.$ext" ] || no "promote wrote no fuzz_boot/boot-nr-free.$ext"
	done
	grep -q 'planted bug nr_free_not_decremented' "$reg/fuzz_boot/boot-nr-free.why" ||
		no "the .why line does not name the planted bug: $(cat "$reg/fuzz_boot/boot-nr-free.why")"
	KBUDDY=$mutant bash ci/check_regression.sh "$reg" >"$tmp/reg-mutant.log" 2>&1 &&
		no "the fuzz_boot regression test passes on the planted bug"
	grep -q "boot-nr-free.bin does not run clean through the fuzz_boot path: $s1" "$tmp/reg-mutant.log" ||
		no "check_regression on the planted bug: $(cat "$tmp/reg-mutant.log")"
	KBUDDY=$kbuddy bash ci/check_regression.sh "$reg" >"$tmp/reg-correct.log" 2>&1 ||
		no "the fuzz_boot regression test fails on the correct build: $(cat "$tmp/reg-correct.log")"
	(cd "$tmp/tree" && "$mutant" promote --target fuzz_boot "$tmp/crash.bin" boot-nr-free) >/dev/null 2>&1 &&
		no "promote overwrote an existing test"
	"$kbuddy" promote -o "$tmp/reg" --target fuzz_boot "$tmp/crash.bin" t3 >/dev/null 2>&1 &&
		no "promote accepted a fuzz_boot input that runs clean"
elif [ -n "$mutant" ]; then
	no "the fuzz_boot crash input runs clean on the nr_free_not_decremented build"
fi

[ $fail -eq 0 ] && echo "crash workflow: reduce, triage, promote, boot ok (fuzz_ops and fuzz_boot)"
exit $fail
