#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The real 6.12 allocator (real/) built from the installed linux-source-6.12
# and compared with kbuddy: `make real` (real/check_real.sh says what it
# compares). Run by tests/run_tests.sh; the make variables of the check
# (CC, SAN, O) reach it through MAKEFLAGS.
set -uo pipefail
cd "$(dirname "$0")/.."
exec make --no-print-directory real
