#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates the seed corpora of every fuzz target from readable sources,
# each seed stored under the sha1 of its bytes (the OSS-Fuzz naming):
#   corpus/fuzz_ops     corpus/seeds/fuzz_ops/*.ops and tests/scenarios/*.ops,
#                       encoded with `kbuddy encode` (text-only sequences,
#                       deliberate misuse, have no binary form: skipped)
#   corpus/fuzz_boot    corpus/seeds/fuzz_boot/*.layout, each followed by the
#                       records of the .ops file of the same name if there is
#                       one (`kbuddy boot-input`), and every built-in layout
#                       that has a binary form
#   corpus/fuzz_decode  a mode byte (fuzz/fuzz_decode.c) and: every ops text
#                       above (0), every layout text (1), the fuzz_ops seeds
#                       (2), the fuzz_boot layouts in binary (3), each line of
#                       corpus/seeds/fuzz_decode/gfp.txt (4); plus the
#                       deliberately broken corpus/seeds/fuzz_decode/bad.*
# Inputs that fuzzing added to the corpora (make corpus-min merges them)
# are kept.
#
# usage: KBUDDY=path/to/kbuddy ci/make_corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."

kbuddy=${KBUDDY:-build/kbuddy}
if [ ! -x "$kbuddy" ]; then
	echo "make_corpus.sh: $kbuddy not found (make build first)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p corpus/fuzz_ops corpus/fuzz_boot corpus/fuzz_decode

# store TARGET FILE: keep FILE in corpus/TARGET under its sha1
store() {
	local sum
	sum=$(sha1sum "$2" | cut -d' ' -f1)
	cp "$2" "corpus/$1/$sum"
	made=$((made + 1))
}
# with_mode MODE FILE OUT: the fuzz_decode input "MODE byte, then FILE"
with_mode() {
	printf "\\$(printf '%03o' "$1")" >"$3"
	cat "$2" >>"$3"
}

shopt -s nullglob
ops_texts=(corpus/seeds/fuzz_ops/*.ops tests/scenarios/*.ops)
layouts=(corpus/seeds/fuzz_boot/*.layout)

made=0 skipped=0
for src in "${ops_texts[@]}"; do
	if "$kbuddy" encode "$src" -o "$tmp/seed" 2>/dev/null; then
		store fuzz_ops "$tmp/seed"
	else
		skipped=$((skipped + 1))
	fi
done
echo "make_corpus.sh: $made seeds in corpus/fuzz_ops ($skipped text-only scenarios skipped)"

made=0
for src in "${layouts[@]}"; do
	ops=${src%.layout}.ops
	[ -f "$ops" ] || ops=
	"$kbuddy" boot-input "$src" $ops -o "$tmp/seed"
	store fuzz_boot "$tmp/seed"
done
while read -r _ name; do
	"$kbuddy" boot-input "$name" -o "$tmp/seed" 2>/dev/null || continue
	store fuzz_boot "$tmp/seed"
done < <("$kbuddy" layouts)
echo "make_corpus.sh: $made seeds in corpus/fuzz_boot"

made=0
for src in "${ops_texts[@]}" corpus/seeds/fuzz_decode/*.ops; do
	with_mode 0 "$src" "$tmp/seed"
	store fuzz_decode "$tmp/seed"
done
for src in "${layouts[@]}" corpus/seeds/fuzz_decode/*.layout; do
	with_mode 1 "$src" "$tmp/seed"
	store fuzz_decode "$tmp/seed"
done
for src in corpus/seeds/fuzz_ops/*.ops; do
	"$kbuddy" encode "$src" -o "$tmp/bin" 2>/dev/null || continue
	with_mode 2 "$tmp/bin" "$tmp/seed"
	store fuzz_decode "$tmp/seed"
done
for src in "${layouts[@]}"; do
	"$kbuddy" boot-input "$src" -o "$tmp/bin"
	with_mode 3 "$tmp/bin" "$tmp/seed"
	store fuzz_decode "$tmp/seed"
done
if [ -f corpus/seeds/fuzz_decode/gfp.txt ]; then
	while IFS= read -r line; do
		printf '%s' "$line" >"$tmp/line"
		with_mode 4 "$tmp/line" "$tmp/seed"
		store fuzz_decode "$tmp/seed"
	done <corpus/seeds/fuzz_decode/gfp.txt
fi
echo "make_corpus.sh: $made seeds in corpus/fuzz_decode"
