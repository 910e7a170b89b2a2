#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two /proc/zoneinfo texts under the difference table.

    compare_zoneinfo.py TABLE KBUDDY_FILE REAL_FILE

Applies the table's zoneinfo rules (real/differences.tsv) to both texts and
prints what still differs, as a unified diff. Exit 0 when nothing does.
"""
import difflib
import re
import sys


def rules(table):
    drop, values, space = [], [], False
    for line in open(table):
        if not line.strip() or line.startswith('#'):
            continue
        parts = line.rstrip('\n').split('\t')
        if len(parts) != 3:
            sys.exit('%s: a row needs name, rule and reason: %r' % (table, line))
        rule = parts[1].split(' ', 1)
        if rule[0] == 'zoneinfo-drop':
            drop.append(re.compile(rule[1]))
        elif rule[0] == 'zoneinfo-value':
            values.append(rule[1])
        elif rule[0] == 'zoneinfo-space':
            space = True
        elif rule[0] not in ('state', 'warning', 'stop'):  # kbuddy-real diff's rules
            sys.exit('%s: unknown rule %r' % (table, parts[1]))
    return drop, values, space


def normal(path, drop, values, space):
    out = []
    for line in open(path):
        line = line.rstrip('\n')
        if any(r.search(line) for r in drop):
            continue
        if space:
            line = re.sub(r'^(\s+\w+):\s+', r'\1: ', line)
        for key in values:
            line = re.sub(r'^(\s+%s:)\s*\S+$' % re.escape(key), r'\1 *', line)
        out.append(line)
    return out


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    drop, values, space = rules(argv[1])
    a = normal(argv[2], drop, values, space)
    b = normal(argv[3], drop, values, space)
    if a == b:
        return 0
    sys.stdout.writelines(l + '\n' for l in difflib.unified_diff(
        a, b, 'kbuddy', 'real', lineterm='', n=2))
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
