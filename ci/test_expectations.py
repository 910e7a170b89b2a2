#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Prints every string literal that a test expects: the quoted arguments of
each EXPECT_* and ASSERT_* macro call in tests/*.c and tests/*.h (tests/kbtest.h,
tests/test_checker_fixture.h and the tests' own EXPECT_* macros), one a line,
sorted. A name only listed in an array, a comment or a printf is not in it;
macro definitions (#define EXPECT_...) are skipped. ci/check_invariants.sh
counts an invariant as tested when its name is printed here."""

import glob
import os
import re
import sys

CALL = re.compile(r'\b((?:EXPECT|ASSERT)_[A-Z0-9_]+)\s*\(')


def without_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(' ' * (j - i))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            i = j
        elif src[i] in '"\'':
            j = i + 1
            while j < n and src[j] != src[i] and src[j] != '\n':
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return ''.join(out)


def expected(src):
    found = set()
    for m in CALL.finditer(src):
        line = src[src.rfind('\n', 0, m.start()) + 1:m.start()]
        if line.lstrip().startswith('#'):
            continue		# a definition, not a use
        i, depth = m.end(), 1
        while i < len(src) and depth:
            c = src[i]
            if c == '"':
                j = i + 1
                while j < len(src) and src[j] != '"':
                    j += 2 if src[j] == '\\' else 1
                found.add(src[i + 1:j])
                i = j + 1
                continue
            if c == "'":
                j = i + 1
                while j < len(src) and src[j] != "'":
                    j += 2 if src[j] == '\\' else 1
                i = j + 1
                continue
            depth += (c == '(') - (c == ')')
            i += 1
    return found


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    names = set()
    for path in sorted(glob.glob(os.path.join(root, 'tests', '*.[ch]'))):
        with open(path, encoding='utf-8', errors='replace') as fh:
            names |= expected(without_comments(fh.read()))
    sys.stdout.write(''.join(n + '\n' for n in sorted(names)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
