#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what kbuddy's build, tests and fuzzers need on Debian 12 and
# nothing that is already there: make, gcc, clang, the compiler-rt and
# llvm tools of the installed clang's own version (sanitizer and libFuzzer
# runtimes; llvm-symbolizer, llvm-profdata and llvm-cov must match the
# compiler), afl++, python3, patch and linux-source-6.12 (make real),
# gnuplot (the nightly report's plots) and rsvg-convert (kbuddy map's PNG;
# the tests render both). Runs on a bare Debian (minbase: no make, no
# compiler), which is why it is bash and not a make target; the README
# starts with `bash ci/setup.sh && make ...`. Quiet when all is present;
# safe to run again and again.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

case ${1:-} in
'') ;;
-h|--help) sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "setup: unknown argument '$1' (see -h)" >&2; exit 2 ;;
esac

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' ok installed$'
}

# The packages of package:command pairs whose command is missing (an empty
# command means "check the package only").
missing_of() {
	local pair pkg cmd
	for pair in "$@"; do
		pkg=${pair%%:*}
		cmd=${pair#*:}
		if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
			continue
		fi
		if command -v dpkg-query >/dev/null 2>&1 && installed "$pkg"; then
			continue
		fi
		echo "$pkg"
	done
}

as_root=()
updated=0
apt_install() {	# packages...
	[ $# -gt 0 ] || return 0
	echo "setup: installing $*"
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "setup: apt-get not found; install these by hand: $*" >&2
		exit 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
		else
			echo "setup: not root and no sudo; as root run: apt-get install $*" >&2
			exit 1
		fi
	fi
	# Another apt or dpkg may be running (unattended upgrades, a parallel
	# install): wait for its lock rather than fail.
	local apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
	if [ $updated = 0 ]; then
		retry "${as_root[@]}" apt-get "${apt_opts[@]}" update
		updated=1
	fi
	# A package the apt sources do not have: say which, and where it is.
	local pkg unknown=()
	for pkg in "$@"; do
		apt-cache show "$pkg" >/dev/null 2>&1 || unknown+=("$pkg")
	done
	if [ ${#unknown[@]} -ne 0 ]; then
		echo "setup: not in this machine's apt sources: ${unknown[*]}" >&2
		case " ${unknown[*]} " in *" linux-source-6.12 "*)
			echo "setup: linux-source-6.12 is in bookworm-security, which a standard Debian 12" \
				"lists; add 'deb http://deb.debian.org/debian-security bookworm-security main'" \
				"to /etc/apt/sources.list and run setup again" >&2 ;;
		esac
		exit 1
	fi
	retry "${as_root[@]}" apt-get "${apt_opts[@]}" install -y --no-install-recommends "$@"
	local still=()
	for pkg in "$@"; do
		installed "$pkg" || still+=("$pkg")
	done
	if [ ${#still[@]} -ne 0 ]; then
		echo "setup: still missing after apt-get: ${still[*]}" >&2
		exit 1
	fi
}

retry() {
	local i
	for i in 1 2 3; do
		"$@" && return 0
		echo "setup: '$*' failed (try $i of 3)" >&2
		sleep $((i * 10))
	done
	return 1
}

# First the tools whose version does not matter.
base=(make:make gcc:gcc clang:clang llvm:llvm-symbolizer afl++:afl-fuzz python3:python3
      patch:patch linux-source-6.12: gnuplot-nox:gnuplot librsvg2-bin:rsvg-convert)
mapfile -t missing < <(missing_of "${base[@]}")
apt_install "${missing[@]}"

# Then what must match the clang just found: its sanitizer and libFuzzer
# runtimes and the llvm tools that read its profiles and symbols.
major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
if [ -z "$major" ]; then
	echo "setup: cannot tell clang's version from 'clang --version'" >&2
	exit 1
fi
matched=("libclang-rt-$major-dev:" "llvm-$major:llvm-profdata-$major")
mapfile -t missing < <(missing_of "${matched[@]}")
apt_install "${missing[@]}"

if [ $updated = 0 ]; then
	echo "setup: all tools present (clang $major)"
else
	echo "setup: done (clang $major)"
fi
