#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The per-file table of `make coverage` (ci/coverage.sh).

Reads two lcov files that llvm-cov exported (everything: fuzz targets and
tests; and the fuzz targets alone) and prints, for every file of core/,
checkers/, machine/ and ops/: its lines with code, the lines never run,
the share run by everything and by the fuzz targets alone, and the line
ranges never run. Then the totals of core/ + checkers/ (the project's goal
is 95% of their lines) and of the two other folders.
"""
import argparse
import os
import sys

GROUPS = [("core/ + checkers/", ("core/", "checkers/")),
          ("machine/ + ops/", ("machine/", "ops/"))]
MAX_RANGES = 12


def read_lcov(path, root):
    """{relative path: {line: count}} of an lcov file."""
    files, cur = {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("SF:"):
                name = os.path.normpath(line[3:])
                if os.path.isabs(name) and name.startswith(root + os.sep):
                    name = name[len(root) + 1:]
                cur = files.setdefault(name, {})
            elif line.startswith("DA:") and cur is not None:
                num, count = line[3:].split(",")[:2]
                num, count = int(num), int(count)
                cur[num] = max(cur.get(num, 0), count)
            elif line == "end_of_record":
                cur = None
    return files


def ranges(lines):
    """"12-14, 20" for the sorted line numbers given."""
    out, start, prev = [], None, None
    for n in lines:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append((start, prev))
            start = prev = n
    if start is not None:
        out.append((start, prev))
    text = ", ".join("%d" % a if a == b else "%d-%d" % (a, b) for a, b in out[:MAX_RANGES])
    if len(out) > MAX_RANGES:
        text += ", ... (%d more)" % (len(out) - MAX_RANGES)
    return text


def pct(run, total):
    return 100.0 * run / total if total else 100.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--all", required=True)
    ap.add_argument("--fuzz", required=True)
    ap.add_argument("--html")
    args = ap.parse_args()
    root = os.path.normpath(args.root)
    every = read_lcov(args.all, root)
    fuzz = read_lcov(args.fuzz, root)

    print("kbuddy line coverage (llvm-cov, source-based): the fuzz targets replaying their")
    print("corpora, plus the unit tests, scenarios and corpus runs; 'fuzz' is the fuzz targets alone")
    totals = []
    for title, prefixes in GROUPS:
        names = sorted(n for n in every if n.startswith(prefixes))
        if not names:
            continue
        print()
        print("%-28s %6s %6s %7s %7s  %s" % (title, "lines", "missed", "cover", "fuzz", "lines never run"))
        t_lines = t_missed = t_fuzz_run = 0
        for n in names:
            lines = every[n]
            missed = sorted(k for k, c in lines.items() if c == 0)
            f = fuzz.get(n, {})
            fuzz_run = sum(1 for k in lines if f.get(k, 0) > 0)
            t_lines += len(lines)
            t_missed += len(missed)
            t_fuzz_run += fuzz_run
            print("%-28s %6d %6d %6.1f%% %6.1f%%  %s" % (
                n, len(lines), len(missed), pct(len(lines) - len(missed), len(lines)),
                pct(fuzz_run, len(lines)), ranges(missed)))
        print("%-28s %6d %6d %6.1f%% %6.1f%%" % (
            "TOTAL " + title, t_lines, t_missed, pct(t_lines - t_missed, t_lines),
            pct(t_fuzz_run, t_lines)))
        totals.append((title, t_lines, t_missed, t_fuzz_run))
    print()
    for title, t_lines, t_missed, t_fuzz_run in totals:
        print("%s: %.1f%% of %d lines run (%.1f%% by the fuzz targets alone)" % (
            title, pct(t_lines - t_missed, t_lines), t_lines, pct(t_fuzz_run, t_lines)))
    if args.html:
        print("HTML: %s" % args.html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
