#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Gives a build directory the objects another one already has when they
# would come out the same: a source whose preprocessed text (line markers
# included, so the debug information too) is identical under both
# directories' compile commands compiles to the same object, so that
# object and its dependency file are copied instead of compiled again.
# ci/check_profiles.sh uses it: most sources never see a kernel profile's
# macros (core/profile.h), and each profile build would otherwise compile
# all of them once more.
#
# Only objects that are up to date in FROM_DIR (newer than every file
# their dependency file names) and missing or out of date in TO_DIR are
# considered; TO_DIR/cflags must exist (make TO_DIR/cflags writes it), and
# the copies are newer than it, so make takes them as built.
#
# usage: ci/reuse_objects.sh FROM_DIR TO_DIR
# Prints "reuse_objects: N of M objects copied from FROM_DIR".
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 FROM_DIR TO_DIR" >&2; exit 2; }
from=${1%/}
to=${2%/}
for f in "$from/cflags" "$to/cflags"; do
	[ -f "$f" ] || { echo "reuse_objects: $f missing, nothing copied"; exit 0; }
done
# each cflags file holds the compile command as make's shell reads it
eval "from_cmd=($(cat "$from/cflags"))"
eval "to_cmd=($(cat "$to/cflags"))"

# The prerequisites a dependency file lists for its object (the first rule).
prereqs() {
	sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$1" | head -n 1 | cut -d: -f2-
}

# True when file $1 is newer than every one of the files after it.
newer_than_all() {
	local target=$1 p
	shift
	for p in "$@"; do
		[ "$target" -nt "$p" ] || return 1
	done
}

# An object's path relative to the tree and absolute, once when equal.
dep_targets() {
	local a=$1
	case $a in /*) ;; *) a=$PWD/$a ;; esac
	if [ "${a#"$PWD"/}" = "$a" ]; then echo "$a"; else echo "${a#"$PWD"/} $a"; fi
}

copied=0
total=0
while IFS= read -r obj; do
	rel=${obj#"$from"/}
	src=${rel%.o}.c
	dep=${obj%.o}.dep
	[ -f "$src" ] && [ -f "$dep" ] || continue
	total=$((total + 1))
	# shellcheck disable=SC2046
	newer_than_all "$obj" $(prereqs "$dep") "$from/cflags" || continue
	if [ -f "$to/$rel" ] && [ -f "$to/${rel%.o}.dep" ] &&
	   newer_than_all "$to/$rel" $(prereqs "$to/${rel%.o}.dep") "$to/cflags"; then
		continue
	fi
	a=$("${from_cmd[@]}" -E "$src" 2>/dev/null | cksum) || continue
	b=$("${to_cmd[@]}" -E "$src" 2>/dev/null | cksum) || continue
	[ "$a" = "$b" ] || continue
	mkdir -p "$(dirname "$to/$rel")"
	# the copy's rule names the copy, relative and absolute as make writes
	# it (the Makefile's kb_dep_targets); written before the object, which
	# must be the newer
	sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$dep" |
		sed "1s|^[^:]*:|$(dep_targets "$to/$rel"):|" > "$to/${rel%.o}.dep"
	cp "$obj" "$to/$rel.tmp" && mv -f "$to/$rel.tmp" "$to/$rel"
	copied=$((copied + 1))
done < <(find "$from" -name '*.o' | sort)
echo "reuse_objects: $copied of $total objects copied from $from"
