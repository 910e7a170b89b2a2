#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reduce a fuzz_ops input that makes a mutant report a violation.

The binary form (docs/ops-format.md) is a header byte and 8-byte records;
any subsequence of records is a valid input. This removes records (halves,
quarters, ... single records, until nothing more can go) while the mutant
still reports the same invariant, then tries smaller values in each
remaining record (order, the handle selector, sysctl values) the same way.

usage: ci/reduce_witness.py --run RUNNER --in CRASH --out OUT.bin
                            [--invariant NAME] [--clean CLEAN_RUNNER]
  RUNNER        a program taking one input file that prints a
                "KBUDDY-SIGNATURE: <invariant> ..." line on a violation: the
                mutant's fuzz_ops binary or its `kbuddy run --quiet`
  --invariant   the invariant to keep (default: the one CRASH reports)
  --clean       a RUNNER of the correct build; the result must run clean
                there (exit 0) or the reduction fails
Exit status 0 with OUT.bin written, 1 when CRASH does not reproduce.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

SIG = re.compile(rb"^KBUDDY-SIGNATURE: (\S+)", re.M)


def signature(runner, data, tmp):
    with open(tmp, "wb") as f:
        f.write(data)
    try:
        p = subprocess.run(runner + [tmp], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    except subprocess.TimeoutExpired:
        return None, -1
    m = SIG.search(p.stdout)
    return (m.group(1).decode() if m else None), p.returncode


def split(data):
    n = (len(data) - 1) // 8
    return data[:1], [data[1 + 8 * i:9 + 8 * i] for i in range(n)]


def join(head, recs):
    return head + b"".join(recs)


def reduce_records(keep, head, recs):
    chunk = max(1, len(recs) // 2)
    while True:
        i = 0
        changed = False
        while i < len(recs):
            cand = recs[:i] + recs[i + chunk:]
            if keep(join(head, cand)):
                recs = cand
                changed = True
            else:
                i += chunk
        if chunk == 1 and not changed:
            return recs
        if chunk > 1:
            chunk //= 2


def simplify_fields(keep, head, recs):
    """Smaller bytes in each record: fewer surprises for a reader."""
    for i in range(len(recs)):
        for j in range(1, 8):
            for v in (0, 1):
                r = bytearray(recs[i])
                if r[j] <= v:
                    continue
                r[j] = v
                cand = recs[:i] + [bytes(r)] + recs[i + 1:]
                if keep(join(head, cand)):
                    recs = cand
                    break
    return recs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--invariant")
    ap.add_argument("--clean")
    a = ap.parse_args()

    runner = shlex.split(a.run)
    clean = shlex.split(a.clean) if a.clean else None
    data = open(a.inp, "rb").read()
    fd, tmp = tempfile.mkstemp(prefix="kb-reduce-")
    os.close(fd)
    try:
        inv, _ = signature(runner, data, tmp)
        if inv is None or (a.invariant and inv != a.invariant):
            print(f"reduce: {a.inp} reports {inv or 'nothing'}"
                  f"{', not ' + a.invariant if a.invariant else ''}", file=sys.stderr)
            return 1
        want = a.invariant or inv

        def keep(d):
            got, _ = signature(runner, d, tmp)
            if got != want:
                return False
            if clean:
                got, rc = signature(clean, d, tmp)
                return got is None and rc == 0
            return True

        head, recs = split(data)
        n0 = len(recs)
        recs = reduce_records(keep, head, recs)
        recs = simplify_fields(keep, head, recs)
        recs = reduce_records(keep, head, recs)
        out = join(head, recs)
        if not keep(out):
            print("reduce: the reduced input no longer reproduces", file=sys.stderr)
            return 1
        with open(a.out, "wb") as f:
            f.write(out)
        print(f"reduce: {n0} -> {len(recs)} operations, {want}")
        return 0
    finally:
        os.unlink(tmp)


if __name__ == "__main__":
    sys.exit(main())
