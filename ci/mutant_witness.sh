#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Makes the witness of one mutant from a crash input that ci/mutants.sh
# found: reduces it (ci/reduce_witness.py) with the mutant's kbuddy, keeping
# the invariant it reports and a clean run on the correct build, then writes
# corpus/mutants/NAME.bin and its text form corpus/mutants/NAME.ops.
#
# usage: ci/mutant_witness.sh NAME [CRASH]
#   CRASH defaults to the first crash input of $O/mutants-work/NAME/strict.
# Environment: O (build root, default build), CC, MAKE, INVARIANT (the
# invariant to keep; default the one CRASH reports).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
MAKE=${MAKE:-make}
O=${O:-build}

[ $# -ge 1 ] || { sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
name=$1
crash=${2:-$(ls "$O/mutants-work/$name/strict/artifacts/"crash-* 2>/dev/null | head -n 1)}
[ -n "$crash" ] && [ -f "$crash" ] || { echo "mutant_witness: no crash input for $name" >&2; exit 1; }

make_args=(--no-print-directory SAN=none O="$O")
[ -n "${CC:-}" ] && make_args+=(CC="$CC")
"$MAKE" "${make_args[@]}" kbuddy >/dev/null &&
	"$MAKE" "${make_args[@]}" kbuddy BUG="$name" >/dev/null || exit 2
good=$root/$("$MAKE" -s "${make_args[@]}" builddir)/kbuddy
bad=$root/$("$MAKE" -s "${make_args[@]}" builddir BUG="$name")/kbuddy

out=corpus/mutants/$name
python3 ci/reduce_witness.py --run "$bad run --quiet" --clean "$good run --quiet" \
	--in "$crash" --out "$out.bin" ${INVARIANT:+--invariant "$INVARIANT"} || exit 1
"$good" decode "$out.bin" -o "$out.ops" || exit 1
inv=$("$bad" run --quiet "$out.ops" | sed -n 's/^KBUDDY-SIGNATURE: \([^ ]*\).*/\1/p')
sed -i "1a # Witness of the mutant $name (docs/mutants.md): that build reports $inv,\\
# the correct build runs it clean. Made by ci/mutant_witness.sh." "$out.ops"
echo "$name: $out.ops and $out.bin, $inv"
