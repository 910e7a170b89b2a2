#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# No input is silently read as something else: every case below once ran
# (exit 0) as a different input than the one written, or passed a check it
# should have failed.
#   - text: a typo'd first line, a UTF-8 byte-order mark, CR or CR LF line
#     ends, a NUL byte: read as text, errors are text errors (line, column);
#     --binary alone makes a file binary;
#   - zoneinfo and layout read a layout as a layout, and never fall back to
#     reading it as operations;
#   - scenario expect lines: numbers whole (no wrap-around, exponent,
#     trailing junk), a bare expect, CR line ends;
#   - every column a message names lies in its line (a layout's sysctl
#     value once had one four billion columns out);
#   - captures: a number in zoneinfo or sysctl_vm that the kernel would
#     not print refuses the import with file, line and column;
#   - messages never echo raw bytes;
#   - make: BUG= must name a mutant of corpus/mutants/mutants.list.
# Run by tests/run_tests.sh (KBUDDY set); exit 0 when every case holds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect STATUS PATTERN -- command...: the exit status and a line of output
expect() {
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ] || ! grep -qF -- "$pattern" <<<"$out"; then
		no "$* -> exit $status (want $want and '$pattern'):"
		printf '%s\n' "$out" | head -5
	fi
	if grep -q "ERROR: AddressSanitizer\|runtime error:" <<<"$out"; then
		no "$* crashed"
	fi
}

# --- text or binary ---------------------------------------------------
printf 'allco order=1\nfree a1\n' >"$tmp/typo.ops"
expect 2 "line 1, column 1: unknown operation 'allco'" -- "$kbuddy" run "$tmp/typo.ops"
expect 2 "--binary reads it as a binary input" -- "$kbuddy" run "$tmp/typo.ops"
expect 0 "result: clean" -- "$kbuddy" run --binary "$tmp/typo.ops"

printf '\xef\xbb\xbflayout zones\nalloc order=2\nfree a1\n' >"$tmp/bom.ops"
printf 'layout zones\ralloc order=2\rfree a1\r' >"$tmp/cr.ops"
printf 'layout zones\r\nalloc order=2\r\nfree a1\r\n' >"$tmp/crlf.ops"
for f in bom cr crlf; do
	expect 0 "free a1 cpu=0" -- "$kbuddy" decode "$tmp/$f.ops"
	n=$("$kbuddy" decode "$tmp/$f.ops" 2>/dev/null | grep -c '^alloc order=2 .* -> a1$')
	[ "$n" = 1 ] || no "$f.ops does not decode to its alloc: $("$kbuddy" decode "$tmp/$f.ops" 2>&1)"
	expect 0 "layout zones" -- "$kbuddy" decode "$tmp/$f.ops"
done
printf '# kbuddy ops v1\rlayout zones\rallx order=2\r' >"$tmp/cr-typo.ops"
expect 2 "line 3, column 1: unknown operation 'allx'" -- "$kbuddy" run "$tmp/cr-typo.ops"

printf 'layout default\nalloc order=1\n\0\n' >"$tmp/nul.ops"
expect 2 "line 3: NUL byte" -- "$kbuddy" run "$tmp/nul.ops"

# raw bytes in an error message come out escaped
printf 'layout default\nal\033[2Jloc\n' >"$tmp/esc.ops"
out=$("$kbuddy" run "$tmp/esc.ops" 2>&1)
grep -qF "unknown operation 'al\\x1b[2Jloc'" <<<"$out" || no "the escape byte is not shown as \\x1b: $out"
if LC_ALL=C grep -q $'\033' <<<"$out"; then no "a raw escape byte reached the output"; fi

# a binary input stays binary
printf '\x02\x00\x03\x00\x00\x00\x00\x00\x00' >"$tmp/real.bin"
expect 0 "layout holes" -- "$kbuddy" decode "$tmp/real.bin"

# --- layouts are layouts ----------------------------------------------
printf 'nodes 0 cpus 1\nzone 0 Normal 0 0x1000\n' >"$tmp/bad.layout"
expect 2 "line 1, column 1: unknown directive 'nodes'" -- "$kbuddy" zoneinfo "$tmp/bad.layout"
expect 2 "unknown directive 'nodes'" -- "$kbuddy" layout "$tmp/bad.layout"
printf '# my machine\nnode 0 cpus 1\nzone 0 Normall 0 0x1000\n' >"$tmp/bad2.layout"
expect 2 "line 3, column 8: unknown zone 'Normall'" -- "$kbuddy" zoneinfo "$tmp/bad2.layout"
printf 'node 0 cpus 1\nzone 0 Normal 0 0x1000\n' >"$tmp/good.layout"
expect 0 "Node 0, zone   Normal" -- "$kbuddy" zoneinfo "$tmp/good.layout"
expect 2 "is an operation sequence, not a layout" -- "$kbuddy" layout "$tmp/crlf.ops"
expect 2 "is not text" -- "$kbuddy" layout "$tmp/real.bin"
expect 2 "is a machine layout, not an operation sequence" -- "$kbuddy" run "$tmp/good.layout"
printf 'node 0 cpus 1\nzone 0 Normal 0 0x1000\nsysctl min_free_kbytes=12x\n' >"$tmp/sysctl.layout"
expect 2 "line 3, column 24: bad number '12x' for min_free_kbytes" -- "$kbuddy" zoneinfo "$tmp/sysctl.layout"
# an operation file still runs under zoneinfo
expect 0 "Node 0, zone      DMA" -- "$kbuddy" zoneinfo "$tmp/crlf.ops"

# --- scenarios --------------------------------------------------------
sc() {	# name text: write a scenario
	printf "$2" >"$tmp/$1.ops"
}
sc wrap 'layout default\nalloc order=0 -> a1\nexpect a4294967297 ok\n'
expect 2 "line 3, column 8: a4294967297 is not allocated above this line" -- "$kbuddy" scenario "$tmp/wrap.ops"
sc exp 'layout default\nexpect pcp_count[Normal][1e3] == 0\n'
expect 2 "line 2, column 26: bad number '1e3' for cpu" -- "$kbuddy" scenario "$tmp/exp.ops"
sc junk 'layout default\nalloc order=0 -> a1\nexpect a1 pfn=0x3000junk\n'
expect 2 "line 3, column 15: bad number '0x3000junk' for pfn" -- "$kbuddy" scenario "$tmp/junk.ops"
sc junk2 'layout default\nexpect nr_free[Normal][10] == 8x\n'
expect 2 "column 31: bad number '8x'" -- "$kbuddy" scenario "$tmp/junk2.ops"
sc sign 'layout default\nexpect nr_free[Normal][-1] == 8\n'
expect 2 "bad number '-1' for order" -- "$kbuddy" scenario "$tmp/sign.ops"
sc big 'layout default\nexpect nr_free[Normal][10] == 99999999999999999999\n'
expect 2 "out of range" -- "$kbuddy" scenario "$tmp/big.ops"
sc bare 'layout default\nalloc order=0\nexpect\n'
expect 2 "line 3, column 1: expect needs what to check" -- "$kbuddy" scenario "$tmp/bare.ops"
sc cr 'layout default\rexpect nr_free[Normal][10] == 99\r'
expect 1 "expect nr_free[Normal][10] == 99: actual value 8" -- "$kbuddy" scenario "$tmp/cr.ops"
sc crok 'layout default\r\nexpect nr_free[Normal][10] == 8\r\n'
expect 0 "1 expectations met" -- "$kbuddy" scenario "$tmp/crok.ops"
# an expectation of another profile is read, not checked, and not counted as met
profile=$("$kbuddy" --version | sed -n 's/.*profile \([^,]*\),.*/\1/p')
other=6.1; [ "$profile" = 6.1 ] && other=6.12
sc prof "layout default\nexpect nr_free[Normal][10] == 8\nexpect profile=$other nr_free[Normal][10] == 99\n"
expect 0 "1 expectations met (1 more for other profiles, not checked in $profile)" -- "$kbuddy" scenario "$tmp/prof.ops"
sc inv 'layout default\nexpect violation nr-fre\n'
expect 2 "unknown invariant 'nr-fre'" -- "$kbuddy" scenario "$tmp/inv.ops"
sc cpu 'layout default\nexpect pcp_count[Normal][2] == 0\n'
expect 2 "cpu 2 out of range 0..1" -- "$kbuddy" scenario "$tmp/cpu.ops"
sc zone 'layout default\nexpect free_pages[Highmem] == 0\n'
expect 2 "unknown zone 'Highmem'" -- "$kbuddy" scenario "$tmp/zone.ops"
sc metric 'layout default\nexpect free_page[Normal] == 0\n'
expect 2 "unknown metric 'free_page'" -- "$kbuddy" scenario "$tmp/metric.ops"
sc extra 'layout default\nexpect free_pages[Normal][1] == 0\n'
expect 2 "free_pages takes 1 index, not more" -- "$kbuddy" scenario "$tmp/extra.ops"
sc handle 'layout default\nexpect a1 ok\nalloc order=0 -> a1\n'
expect 2 "a1 is not allocated above this line" -- "$kbuddy" scenario "$tmp/handle.ops"
sc prof 'layout default\nexpect profile=6.2 nr_free[Normal][10] == 8\n'
expect 2 "line 2, column 16: unknown profile '6.2'" -- "$kbuddy" scenario "$tmp/prof.ops"
sc profempty 'layout default\nexpect profile= nr_free[Normal][10] == 8\n'
expect 2 "profile= needs profile names" -- "$kbuddy" scenario "$tmp/profempty.ops"
sc profonly 'layout default\nexpect profile=6.1\n'
expect 2 "needs what to check after it" -- "$kbuddy" scenario "$tmp/profonly.ops"
sc profviol 'layout default\nexpect profile=6.1 violation nr-free\n'
expect 2 "expect violation holds in every profile" -- "$kbuddy" scenario "$tmp/profviol.ops"
# an expectation of every other profile is read but not checked: only
# this build's profile fails
sc profall 'layout default\nexpect profile=6.1,6.6,6.12,mainline nr_free[Normal][10] == 99\n'
expect 1 "actual value 8" -- "$kbuddy" scenario "$tmp/profall.ops"

# --- columns ----------------------------------------------------------
# Every column a message names lies in its line: a bad token at the start,
# middle and end of a line of each text format.
colcheck() {	# command file
	local out line col text
	out=$("$kbuddy" "$1" "$2" 2>&1)
	line=$(sed -n 's/.*: line \([0-9]*\), column [0-9]*: .*/\1/p' <<<"$out" | head -n 1)
	col=$(sed -n 's/.*: line [0-9]*, column \([0-9]*\): .*/\1/p' <<<"$out" | head -n 1)
	[ -n "$col" ] || { no "$1 $(basename "$2"): no line and column: $out"; return; }
	text=$(sed -n "${line}p" "$2")
	[ "$col" -ge 1 ] && [ "$col" -le $((${#text} + 1)) ] ||
		no "$1 $(basename "$2"): column $col is outside line $line ('$text'): $out"
}
i=0
for bad in 'sysctl min_free_kbytes=1x' 'sysctl lowmem_reserve_ratio[DMA32]=-1' \
	'late_free 0x3100 0x32000000000000000000 initrd' 'late_free 0x3100 0x3200 initrx' \
	'node 1x cpus 1' 'thp sometimes' 'sysctl min_free_kbyte=1'; do
	i=$((i + 1))
	printf 'node 0 cpus 1\nzone 0 Normal 0 0x1000\n%s\n' "$bad" >"$tmp/col$i.layout"
	colcheck zoneinfo "$tmp/col$i.layout"
done
for bad in 'sysctl min_free_kbytes=1x' 'sysctl lowmem_reserve_ratio[Nowhere]=1' 'alloc order=1 cpu=0x' \
	'alloc order=2 gfp=GFP_KERNEL|x' 'isolate pfn=0x3000 nr=1z' 'free a9'; do
	i=$((i + 1))
	printf 'layout default\nalloc order=0\n%s\n' "$bad" >"$tmp/col$i.ops"
	colcheck run "$tmp/col$i.ops"
done
for bad in 'expect a1 pfn=0x3000x' 'expect nr_free[Normal][1x] == 0' 'expect free_pages[Normal] == 0x'; do
	i=$((i + 1))
	printf 'layout default\nalloc order=0 -> a1\n%s\n' "$bad" >"$tmp/col$i.ops"
	colcheck scenario "$tmp/col$i.ops"
done

# --- captures (kbuddy import) ----------------------------------------
# A number in a capture's zoneinfo or sysctl_vm that is not what the
# kernel prints (trailing junk, a sign, an exponent, an overflow, hex where
# it prints decimal) refuses the import, naming file, line and column.
cap() {	# name file sed-expression: a copy of a shipped capture with one edit
	rm -rf "$tmp/cap-$1"
	cp -r tests/captures/linux-6.12-1g "$tmp/cap-$1"
	rm -f "$tmp/cap-$1/trace.txt.gz"
	sed -i "$3" "$tmp/cap-$1/$2"
}
cap junk zoneinfo.before '0,/^        min  /s/^\(        min  *\)\([0-9]*\)$/\1\2x/'
expect 2 "cap-junk/zoneinfo.before: line 52, column 18: bad number '176x' (text after the number)" -- "$kbuddy" import "$tmp/cap-junk"
cap plus zoneinfo.before '0,/^  pages free/s/^\(  pages free *\)/\1+/'
expect 2 "cap-plus/zoneinfo.before: line 50, column 18: bad number '+3808' (a '+' sign)" -- "$kbuddy" import "$tmp/cap-plus"
cap exp zoneinfo.before '0,/spanned/s/^\(        spanned  *\)[0-9]*$/\11e3/'
expect 2 "cap-exp/zoneinfo.before: line 56, column 18: bad number '1e3' (an exponent)" -- "$kbuddy" import "$tmp/cap-exp"
cap big zoneinfo.before '0,/protection/s/protection: (0, [0-9]*/protection: (0, 99999999999999999999/'
expect 2 "cap-big/zoneinfo.before: line 60, column 25: bad number '99999999999999999999,' (out of range)" -- "$kbuddy" import "$tmp/cap-big"
cap neg zoneinfo.before '0,/start_pfn/s/start_pfn: *[0-9]*/start_pfn:           -1/'
expect 2 "bad number '-1' (a negative value)" -- "$kbuddy" import "$tmp/cap-neg"
cap sysjunk sysctl_vm.before 's/^watermark_scale_factor = 10$/watermark_scale_factor = 10x/'
expect 2 "cap-sysjunk/sysctl_vm.before: line 2, column 26: bad number '10x' (text after the number)" -- "$kbuddy" import "$tmp/cap-sysjunk"
cap sysbig sysctl_vm.after 's/^min_free_kbytes = .*/min_free_kbytes = 2147483648/'
expect 2 "cap-sysbig/sysctl_vm.after: line 1, column 19: bad number '2147483648' (out of range)" -- "$kbuddy" compare zoneinfo "$tmp/cap-sysbig" default
cap syshex sysctl_vm.before 's/^lowmem_reserve_ratio = 256/lowmem_reserve_ratio = 0x100/'
expect 2 "cap-syshex/sysctl_vm.before: line 4, column 24: bad number '0x100' (hex where a decimal number belongs)" -- "$kbuddy" import "$tmp/cap-syshex"
cap ok zoneinfo.before 's/^$//'
expect 0 "# imported from" -- "$kbuddy" import "$tmp/cap-ok"

# --- make -------------------------------------------------------------
out=$(make -s --no-print-directory builddir BUG=no_such_mutant 2>&1)
grep -q "BUG 'no_such_mutant' is not a mutant of corpus/mutants/mutants.list" <<<"$out" ||
	no "make accepted BUG=no_such_mutant: $out"
m=$(awk '!/^[ \t]*(#|$)/ { print $1; exit }' corpus/mutants/mutants.list)
make -s --no-print-directory builddir BUG="$m" >/dev/null 2>&1 || no "make refused BUG=$m"

if [ "$failed" -gt 0 ]; then
	echo "check_inputs: $failed failed"
	exit 1
fi
echo "check_inputs: every input is read as what it is"
