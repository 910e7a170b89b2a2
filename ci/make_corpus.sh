#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates corpus/fuzz_ops/ from the readable text scenarios: every
# corpus/seeds/fuzz_ops/*.ops and tests/scenarios/*.ops is encoded with
# `kbuddy encode` and stored under the sha1 of its bytes (the OSS-Fuzz
# naming). Text-only sequences (deliberate misuse) have no binary form and
# are skipped. Inputs that fuzzing added to corpus/fuzz_ops are kept.
#
# usage: KBUDDY=path/to/kbuddy ci/make_corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."

kbuddy=${KBUDDY:-build/kbuddy}
if [ ! -x "$kbuddy" ]; then
	echo "make_corpus.sh: $kbuddy not found (make build first)" >&2
	exit 2
fi
out=corpus/fuzz_ops
mkdir -p "$out"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

made=0 skipped=0
for src in corpus/seeds/fuzz_ops/*.ops tests/scenarios/*.ops; do
	[ -e "$src" ] || continue
	if ! "$kbuddy" encode "$src" -o "$tmp" 2>/dev/null; then
		skipped=$((skipped + 1))
		continue
	fi
	sum=$(sha1sum "$tmp" | cut -d' ' -f1)
	cp "$tmp" "$out/$sum"
	made=$((made + 1))
done
echo "make_corpus.sh: $made seeds in $out ($skipped text-only scenarios skipped)"
