#!/bin/bash
# The machines of the memory model: a 64 GiB layout and a sparse 1 TiB
# layout (16 GiB present, tests/layouts/) boot and run an operation
# sequence clean under the checker, with allocations, a contiguous range
# and compaction over zones with missing sections.
#   ci/check_scale.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
KB=$B/kbuddy
[ -x "$KB" ] || { echo "check_scale: $KB not built (make build)" >&2; exit 1; }
ops=$(mktemp)
trap 'rm -f "$ops"' EXIT
cat >"$ops" <<'OPS'
# kbuddy ops v1
alloc order=0 gfp=GFP_KERNEL cpu=0 -> a1
alloc order=9 gfp=GFP_HIGHUSER_MOVABLE cpu=0 -> a2
alloc_contig nr=512 gfp=GFP_KERNEL cpu=0 -> a3
alloc order=3 gfp=GFP_DMA32 cpu=1 -> a4
compact node=0 zone=DMA32 order=10
kcompactd node=0
free a1 cpu=0
free a3 cpu=0
drain_all
OPS
for l in tests/layouts/x86-64-4g.layout tests/layouts/x86-64-64g.layout tests/layouts/sparse-1t.layout; do
	out=$("$KB" run --level 2 --layout "$l" "$ops")
	grep -q '^result: clean' <<<"$out" || { echo "check_scale: $l:"; echo "$out"; exit 1; }
	echo "check_scale: $l: $(tail -1 <<<"$out")"
done
