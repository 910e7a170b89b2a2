#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_ops execs/s at check levels 0..3: the real libFuzzer binary (ASan,
# UBSan) replays the same 2,000 seeded inputs of 64..2048 bytes on the
# default layout at each level (KBUDDY_CHECK_LEVEL), rounds interleaved so
# that load from other processes hits every level alike; the median of the
# rounds is reported, with level 2's share of level 0.
#
# usage: ci/bench_fuzz_levels.sh FUZZ_OPS_BINARY [ROUNDS]
set -euo pipefail
bin=$1
rounds=${2:-3}
[ -x "$bin" ] || { echo "bench_fuzz_levels: $bin not built (make fuzz-build)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'PY'
import random, sys
r = random.Random(1234)
for i in range(2000):
    b = bytearray(r.getrandbits(8) for _ in range(r.randint(64, 2048)))
    b[0] = 0  # the default layout
    open('%s/in%04d' % (sys.argv[1], i), 'wb').write(b)
PY

declare -A rates
for round in $(seq "$rounds"); do
	for level in 0 1 2 3; do
		start=$(date +%s%N)
		KBUDDY_CHECK_LEVEL=$level "$bin" -runs=0 -max_len=2048 "$dir" >/dev/null 2>&1
		end=$(date +%s%N)
		rates[$level]+="$(( 2000 * 1000000000 / (end - start) )) "
	done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "fuzz_ops (ASan+UBSan libFuzzer binary), 2000 seeded inputs, default layout, median of $rounds rounds:"
for level in 0 1 2 3; do
	printf 'level %d: %6d execs/s   (rounds: %s)\n' "$level" "$(median "${rates[$level]}")" "${rates[$level]% }"
done
awk -v a="$(median "${rates[2]}")" -v b="$(median "${rates[0]}")" \
	'BEGIN { printf "level 2 / level 0: %.2f\n", a / b }'
