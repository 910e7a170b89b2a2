#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what kbuddy's build, tests and fuzzers need on Debian 12 and
# nothing that is already there: clang, llvm (llvm-symbolizer and friends),
# libclang-rt-14-dev (sanitizer and libFuzzer runtimes), afl++, make, python3.
# Quiet when all is present; safe to run again and again.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' ok installed$'
}

# package:command pairs; an empty command means "check the package only".
wanted=(
	clang:clang
	llvm:llvm-symbolizer
	libclang-rt-14-dev:
	afl++:afl-fuzz
	make:make
	python3:python3
)

missing=()
for pair in "${wanted[@]}"; do
	pkg=${pair%%:*}
	cmd=${pair#*:}
	if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
		continue
	fi
	if command -v dpkg-query >/dev/null 2>&1 && installed "$pkg"; then
		continue
	fi
	missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all tools present"
	exit 0
fi

echo "setup: installing ${missing[*]}"

if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: apt-get not found; install these by hand: ${missing[*]}" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
	echo "setup: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
	exit 1
fi

# Another apt or dpkg may be running (unattended upgrades, a parallel
# install): wait for its lock rather than fail.
apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

retry() {
	local i
	for i in 1 2 3; do
		"$@" && return 0
		echo "setup: '$*' failed (try $i of 3)" >&2
		sleep $((i * 10))
	done
	return 1
}

retry "${as_root[@]}" apt-get "${apt_opts[@]}" update
retry "${as_root[@]}" apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"

still=()
for pkg in "${missing[@]}"; do
	installed "$pkg" || still+=("$pkg")
done
if [ ${#still[@]} -ne 0 ]; then
	echo "setup: still missing after apt-get: ${still[*]}" >&2
	exit 1
fi
echo "setup: done"
