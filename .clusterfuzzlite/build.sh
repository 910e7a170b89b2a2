#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0
#
# OSS-Fuzz / ClusterFuzzLite build of kbuddy's fuzz targets (one per
# fuzz/fuzz_*.c). The builder image's compile step sets the environment:
#   CC CXX CFLAGS CXXFLAGS   compilers and flags, sanitizer and coverage
#                            flags already in CFLAGS; C is linked with $CXX
#   LIB_FUZZING_ENGINE       links the engine: -fsanitize=fuzzer (libFuzzer)
#                            or libAFLDriver.a (AFL++)
#   SANITIZER                address, undefined, memory or coverage
#   FUZZING_ENGINE           libfuzzer or afl
#   SRC OUT WORK             the source, the output and a scratch directory
# and this script puts in $OUT, per target T: the binary T, T.options,
# T.dict and T_seed_corpus.zip (corpus/T and, for fuzz_ops and fuzz_boot,
# the regression inputs corpus/regression; entries named by the sha1 of
# their bytes, stored with a fixed date so equal corpora make equal zips).
# Objects go to $WORK/kbuddy-<engine>-<sanitizer>/ through `make
# oss-fuzz-build`, so building again compiles only what changed.
#
# ci/check_oss_fuzz.sh runs this without docker, with the environment each
# mode gets, and runs every binary on its seed corpus (docs/fuzzing.md).

# The tree: the current directory when it is kbuddy's (the image's WORKDIR,
# or a checkout), else $SRC/kbuddy.
tree=$PWD
[ -f "$tree/fuzz/fuzz_ops.c" ] || tree=$SRC/kbuddy
cd "$tree"
: "${OUT:?OUT must name the output directory}"
WORK=${WORK:-$OUT/../work}
SANITIZER=${SANITIZER:-address}
FUZZING_ENGINE=${FUZZING_ENGINE:-libfuzzer}
mkdir -p "$OUT" "$WORK"

jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" --no-print-directory oss-fuzz-build \
	CC="$CC" OSS_FUZZ_CXX="$CXX" OSS_FUZZ_CFLAGS="$CFLAGS" \
	OSS_FUZZ_CXXFLAGS="$CXXFLAGS" OSS_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
	OSS_FUZZ_WORK="$WORK/kbuddy-$FUZZING_ENGINE-$SANITIZER" OSS_FUZZ_OUT="$OUT"

for src in fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	for x in options dict; do
		[ -f "fuzz/$t.$x" ] && cp "fuzz/$t.$x" "$OUT/"
	done
	seeds=("corpus/$t")
	case $t in
	fuzz_ops) seeds+=(corpus/regression/*.bin) ;;
	fuzz_boot) seeds+=(corpus/regression/fuzz_boot/*.bin) ;;
	esac
	python3 - "$OUT/${t}_seed_corpus.zip" "${seeds[@]}" <<'PY'
import hashlib, os, sys, zipfile
out, sources = sys.argv[1], sys.argv[2:]
files = []
for s in sources:
    if os.path.isdir(s):
        files += [os.path.join(s, f) for f in sorted(os.listdir(s))
                  if os.path.isfile(os.path.join(s, f))]
    elif os.path.isfile(s):
        files.append(s)
entries = {}
for f in files:
    data = open(f, "rb").read()
    entries[hashlib.sha1(data).hexdigest()] = data
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(entries):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, entries[name])
os.replace(tmp, out)
print("build.sh: %s: %d seeds" % (os.path.basename(out), len(entries)))
PY
done
