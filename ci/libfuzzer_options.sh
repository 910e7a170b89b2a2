# SPDX-License-Identifier: GPL-2.0
#
# The libFuzzer options a fuzz target ships, for the scripts that start
# libFuzzer (ci/fuzz_run.sh, ci/mutants.sh, ci/bench_fuzz_run.sh,
# ci/nightly.sh); sourced, not run.
#
#   kb_libfuzzer_options OPTIONS_FILE ROOT
#
# prints the keys of the file's [libfuzzer] section as -key=value, one a
# line, in the file's order. A dictionary's path is made absolute: a
# relative one is relative to ROOT/fuzz/ (as OSS-Fuzz reads it, beside the
# binary; a leading fuzz/ is taken as that directory). Prints nothing when
# the file does not exist.
kb_libfuzzer_options() {
	[ -f "$1" ] || return 0
	awk -v root="$2" '
		/^[ \t]*[#;]/ || /^[ \t]*$/ { next }
		/^[ \t]*\[/ { in_lf = ($0 ~ /^[ \t]*\[libfuzzer\][ \t]*$/); next }
		in_lf && /=/ {
			k = $0; sub(/=.*/, "", k); gsub(/[ \t]/, "", k)
			v = $0; sub(/^[^=]*=/, "", v); gsub(/^[ \t]+|[ \t]+$/, "", v)
			if (k == "dict" && v !~ /^\//) {
				sub(/^fuzz\//, "", v)
				v = root "/fuzz/" v
			}
			printf "-%s=%s\n", k, v
		}' "$1"
}
