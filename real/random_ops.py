#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random operation sequences for kbuddy-real diff, from a seed.

    random_ops.py --seed S --count N --ops K --out DIR

writes DIR/00.ops ... : allocations (orders and GFP masks the real build
drives), frees of live handles on a random CPU, drains, over the built-in
layouts in turn. The same seed writes the same files. Run each with
`kbuddy-real diff FILE` (docs/real-kernel.md, measured agreement).
"""
import os
import random
import sys

LAYOUTS = ['default', 'zones', 'holes', 'numa', 'cma', 'small', 'small-blocks']
GFPS = ['GFP_KERNEL', 'GFP_ATOMIC', 'GFP_HIGHUSER_MOVABLE', 'GFP_USER', 'GFP_NOWAIT',
        'GFP_KERNEL|__GFP_COMP', 'GFP_DMA32', 'GFP_KERNEL|__GFP_DMA',
        'GFP_KERNEL|__GFP_RECLAIMABLE', 'GFP_TRANSHUGE_LIGHT', 'GFP_ATOMIC|__GFP_NOWARN']


def sequence(r, layout, nr_ops):
    cpus = 2 if layout == 'numa' else 1
    orders = [0, 0, 1, 2, 3, 5, 7] if layout == 'small-blocks' else [0, 0, 0, 1, 2, 3, 4, 5, 9, 10]
    lines = ['# kbuddy ops v1', 'layout ' + layout]
    live, handles = [], 0
    for _ in range(nr_ops):
        x = r.random()
        if x < 0.55 or not live:
            handles += 1
            lines.append('alloc order=%d gfp=%s cpu=%d -> a%d' %
                         (r.choice(orders), r.choice(GFPS), r.randrange(cpus), handles))
            live.append(handles)
        elif x < 0.9:
            lines.append('free a%d cpu=%d' % (live.pop(r.randrange(len(live))), r.randrange(cpus)))
        elif x < 0.95:
            lines.append('drain_all')
        else:
            lines.append('drain cpu=%d' % r.randrange(cpus))
    return '\n'.join(lines) + '\n'


def main(argv):
    args = {'--seed': '18', '--count': '40', '--ops': '150', '--out': None}
    it = iter(argv)
    for a in it:
        if a not in args:
            sys.exit('usage: random_ops.py --seed S --count N --ops K --out DIR')
        args[a] = next(it, None)
    if not args['--out'] or not all(args[k] and args[k].isdigit() for k in ('--seed', '--count', '--ops')):
        sys.exit('usage: random_ops.py --seed S --count N --ops K --out DIR')
    r = random.Random(int(args['--seed']))
    os.makedirs(args['--out'], exist_ok=True)
    for i in range(int(args['--count'])):
        with open(os.path.join(args['--out'], '%02d.ops' % i), 'w') as f:
            f.write(sequence(r, LAYOUTS[i % len(LAYOUTS)], int(args['--ops'])))


if __name__ == '__main__':
    main(sys.argv[1:])
