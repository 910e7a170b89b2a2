#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's first commands on a Debian 12 machine with nothing installed:
# a `debootstrap --variant=minbase bookworm` chroot (no make, no compiler,
# no python), given the apt sources a standard installation has (bookworm,
# bookworm-updates and bookworm-security, where linux-source-6.12 lives),
# gets a clone of this repository's HEAD in /root/kbuddy and runs there,
# as root, `bash ci/setup.sh && make fuzz` (or the command given).
#
# usage: ci/fresh_debian.sh [--dir DIR] [--mirror URL] [--reuse] [COMMAND]
#   --dir     where the chroot is made (default build/fresh-debian; a
#             chroot already there is removed first unless --reuse)
#   --mirror  the Debian mirror (default http://deb.debian.org/debian)
#   --reuse   run in the chroot already in DIR (after a first run: e.g.
#             `--reuse 'bash ci/setup.sh && make check'`)
# Needs root, debootstrap and the network; not part of make check. Prints
# the command's output, then one line: the command, its exit status, the
# seconds it took and how many packages setup installed. Exit status: the
# command's.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

dir=build/fresh-debian mirror=http://deb.debian.org/debian reuse=0
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--mirror) mirror=$2; shift 2 ;;
	--reuse) reuse=1; shift ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "fresh_debian.sh: unknown option '$1' (see -h)" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -le 1 ] || { echo "fresh_debian.sh: one COMMAND (quote it), not $# words" >&2; exit 2; }
cmd=${1:-bash ci/setup.sh && make fuzz}
[ "$(id -u)" -eq 0 ] || { echo "fresh_debian.sh: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh_debian.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
case $dir in /*) ;; *) dir=$root/$dir ;; esac
chroot_dir=$dir/root

mounted=()
unmount() {
	local m
	for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null; done
	mounted=()
}
trap unmount EXIT
trap 'unmount; exit 130' INT TERM

if [ $reuse = 0 ] || [ ! -x "$chroot_dir/bin/bash" ]; then
	if [ -d "$chroot_dir" ]; then
		# nothing may stay mounted in what is removed
		if grep -q " $chroot_dir/" /proc/mounts; then
			echo "fresh_debian.sh: $chroot_dir has mounts; unmount them first" >&2
			exit 2
		fi
		rm -rf "$chroot_dir"
	fi
	mkdir -p "$dir"
	echo "fresh-debian: debootstrap --variant=minbase bookworm $chroot_dir ($mirror)"
	if ! debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$dir/debootstrap.log" 2>&1; then
		tail -n 20 "$dir/debootstrap.log"
		echo "fresh_debian.sh: debootstrap failed (log: $dir/debootstrap.log)" >&2
		exit 2
	fi
	security=${mirror%/debian}/debian-security
	cat >"$chroot_dir/etc/apt/sources.list" <<-EOF
	deb $mirror bookworm main
	deb $mirror bookworm-updates main
	deb $security bookworm-security main
	EOF
	for c in make gcc clang python3; do
		chroot "$chroot_dir" /bin/sh -c "command -v $c" >/dev/null &&
			echo "fresh-debian: the new chroot already has $c"
	done
	rm -rf "$chroot_dir/root/kbuddy"
	git clone -q "$root" "$chroot_dir/root/kbuddy" || exit 2
	echo "fresh-debian: $(git -C "$chroot_dir/root/kbuddy" log --oneline -1 | cut -c1-80)"
fi
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
mount -t proc proc "$chroot_dir/proc" && mounted+=("$chroot_dir/proc")
mount -t sysfs sys "$chroot_dir/sys" && mounted+=("$chroot_dir/sys")
mount --rbind /dev "$chroot_dir/dev" && mounted+=("$chroot_dir/dev")

before=$(chroot "$chroot_dir" dpkg-query -W -f '${Status}\n' 2>/dev/null | grep -c ' installed$')
start=$(date +%s)
echo "fresh-debian: $cmd"
env -i HOME=/root TERM="${TERM:-dumb}" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	chroot "$chroot_dir" /bin/bash -c "cd /root/kbuddy && $cmd"
status=$?
after=$(chroot "$chroot_dir" dpkg-query -W -f '${Status}\n' 2>/dev/null | grep -c ' installed$')
echo "fresh-debian: '$cmd' exited $status after $(( $(date +%s) - start )) s; packages $before -> $after"
exit $status
