#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Keeps the shipped corpora minimal: for each target, libFuzzer -merge=1 of
# corpus/<target> (and any extra directories given, e.g. a fuzz run's
# corpus or an AFL++ queue) into a fresh directory, which then replaces
# corpus/<target>. Files keep libFuzzer's sha1 names. `make corpus-min`
# runs it for every target.
#
# usage: ci/minimize_corpus.sh [--fuzz-dir DIR] [--target NAME] [EXTRA_DIR...]
#   --fuzz-dir  where the libFuzzer binaries are (default $FUZZ_DIR from make)
#   --target    one target only (default: every fuzz/fuzz_*.c)
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_dir=${FUZZ_DIR:-}
only=''
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--fuzz-dir) fuzz_dir=$2; shift 2 ;;
	--target) only=$2; shift 2 ;;
	-h|--help) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) extra+=("$1"); shift ;;
	esac
done
[ -n "$fuzz_dir" ] || fuzz_dir=$(make -s --no-print-directory builddir | sed 's|/\([^/]*\)$|/fuzz-\1|')
if [ -n "$only" ]; then
	targets=("$only")
else
	targets=()
	for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

# The -max_len of a target's options file, so merge runs what fuzzing runs.
max_len() {
	sed -n 's/^[[:space:]]*max_len[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
		"fuzz/$1.options" 2>/dev/null | head -n 1
}

for t in "${targets[@]}"; do
	bin=$fuzz_dir/$t
	if [ ! -x "$bin" ]; then
		echo "minimize_corpus.sh: $bin not built (make fuzz-build)" >&2
		exit 2
	fi
	mkdir -p "corpus/$t"
	before=$(find "corpus/$t" -type f | wc -l)
	new=$(mktemp -d "corpus/.$t-merge-XXXX")
	ml=$(max_len "$t")
	if ! "$bin" -merge=1 ${ml:+-max_len=$ml} -timeout=10 -rss_limit_mb=2048 \
		"$new" "corpus/$t" "${extra[@]}" >"$new.log" 2>&1; then
		echo "minimize_corpus.sh: merge of $t failed; corpus/$t left as it was (log: $new.log)" >&2
		rm -rf "$new"
		exit 1
	fi
	rm -rf "corpus/$t"
	mv "$new" "corpus/$t"
	rm -f "$new.log"
	after=$(find "corpus/$t" -type f | wc -l)
	echo "corpus-min: $t: $before files -> $after files ($(du -sh "corpus/$t" | cut -f1))"
done
