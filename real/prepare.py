#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lay out the real kernel source for a userspace build of the allocator.

    prepare.py --tarball T --out DIR [--patch P]

Reads real/sources.list, takes the files it names out of the kernel source
tarball T (the Debian package linux-source-6.12), checks the version, and
writes under DIR:

    linux/            the extracted files, as in the tarball (cached)
    src/              the .c files to compile (whole, or cut: less the
                      definitions names/<file>.except lists), with their
                      quoted headers
                      (a patch, when given, is applied here)
    inc/real/linux/   the real headers, whole or cut by extract.py
    stubinc/          one stub for every <...> header the real files
                      include: each just includes kshim/kshim.h
    stubbed.txt       the stubbed headers, one a line (what is shimmed)

Exit status 2 with one clear line when the source is missing or is not
6.12, or a patch does not apply.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import extract  # noqa: E402

WANT_VERSION = (6, 12)


def fail(msg):
    sys.stderr.write('make real: %s\n' % msg)
    sys.exit(2)


def read_sources():
    """[(mode, path, names-file or None)] from sources.list."""
    out = []
    with open(os.path.join(HERE, 'sources.list')) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#')[0].split()
            if not line:
                continue
            mode, path = line[0], line[1]
            if mode == 'stub':
                out.append((mode, path, None))
                continue
            if mode not in ('compile', 'cut', 'local', 'whole', 'only'):
                fail('real/sources.list:%d: unknown mode %s' % (n, mode))
            names = None
            if mode in ('only', 'cut'):
                names = os.path.join(HERE, 'names', path.replace('/', '_') +
                                     ('.names' if mode == 'only' else '.except'))
                if not os.path.exists(names):
                    fail('real/sources.list:%d: %s is missing' % (n, names))
            out.append((mode, path, names))
    return out


def extract_tarball(tarball, out, paths):
    """Extract paths (plus Makefile) into out/linux, once per tarball."""
    if not os.path.exists(tarball):
        fail('%s is missing: install the Debian package linux-source-6.12 '
             '(apt-get install linux-source-6.12) or give REAL_TARBALL=' % tarball)
    st = os.stat(tarball)
    want = ['Makefile'] + sorted(set(paths))
    stamp_text = '%s %d %d\n%s\n' % (tarball, st.st_size, int(st.st_mtime), '\n'.join(want))
    dest = os.path.join(out, 'linux')
    stamp = os.path.join(out, 'linux.stamp')
    if os.path.exists(stamp) and open(stamp).read() == stamp_text:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    top = subprocess.run(['tar', '-tJf', tarball], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    first = top.stdout.split('\n', 1)[0].split('/')[0] if top.returncode == 0 else ''
    if not first:
        fail('%s is not a readable kernel source tarball' % tarball)
    sys.stdout.write('  TAR     %s (%d files)\n' % (tarball, len(want)))
    sys.stdout.flush()
    r = subprocess.run(['tar', '-xJf', tarball, '-C', dest, '--strip-components=1'] +
                       ['%s/%s' % (first, p) for p in want],
                       stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        if os.path.exists(os.path.join(dest, 'Makefile')):
            check_version(dest)
        missing = [p for p in want if not os.path.exists(os.path.join(dest, p))]
        if missing:
            fail('%s lacks %s (real/sources.list names them)' % (tarball, ', '.join(missing)))
        fail('extracting from %s failed: %s' % (tarball, r.stderr.strip().split('\n')[0]))
    with open(stamp, 'w') as f:
        f.write(stamp_text)
    return dest


def check_version(linux):
    text = open(os.path.join(linux, 'Makefile')).read()
    v = {}
    for key in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL'):
        m = re.search(r'^%s\s*=\s*(\d+)' % key, text, re.M)
        v[key] = int(m.group(1)) if m else -1
    got = (v['VERSION'], v['PATCHLEVEL'])
    if got != WANT_VERSION:
        fail('the kernel source is %d.%d; this build is made for %d.%d' % (got + WANT_VERSION))
    return '%d.%d.%d' % (v['VERSION'], v['PATCHLEVEL'], v['SUBLEVEL'])


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def main(argv):
    args = {'--tarball': None, '--out': None, '--patch': None}
    it = iter(argv[1:])
    for a in it:
        if a not in args:
            fail('prepare.py: unknown argument %s' % a)
        args[a] = next(it, None)
    if not args['--tarball'] or not args['--out']:
        fail('usage: prepare.py --tarball T --out DIR [--patch P]')
    out = args['--out']
    os.makedirs(out, exist_ok=True)
    sources = read_sources()
    stubs = [p for m, p, _ in sources if m == 'stub']
    sources = [s for s in sources if s[0] != 'stub']
    linux = extract_tarball(args['--tarball'], out, [p for _, p, _ in sources])
    version = check_version(linux)

    # src/: the files to compile and their quoted headers, patched.
    work = os.path.join(out, 'src.tmp')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for mode, path, _ in sources:
        os.makedirs(os.path.join(work, os.path.dirname(path)), exist_ok=True)
        shutil.copy(os.path.join(linux, path), os.path.join(work, path))
    patch = args['--patch']
    if patch:
        if not os.path.exists(patch):
            fail('KERNEL_PATCH %s does not exist' % patch)
        r = subprocess.run(['patch', '-p1', '--batch', '--forward', '-s', '-d', work,
                            '-i', os.path.abspath(patch)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode != 0:
            fail('KERNEL_PATCH %s does not apply to the extracted %s source '
                 '(files: real/sources.list): %s' % (patch, version, r.stdout.strip()))

    stub_scan = []
    for mode, path, names in sources:
        src = os.path.join(work, path)
        text = open(src).read()
        if mode in ('compile', 'local'):
            dst = os.path.join(out, 'src', os.path.basename(path))
            write_if_changed(dst, text)
            stub_scan.append(text)
            continue
        if mode == 'cut':
            dst = os.path.join(out, 'src', os.path.basename(path))
        elif path.startswith('include/'):
            dst = os.path.join(out, 'inc', 'real', path[len('include/'):])
        else:
            dst = os.path.join(out, 'src', os.path.basename(path))
        if mode == 'whole':
            body = text
        else:
            r = subprocess.run([sys.executable, os.path.join(HERE, 'extract.py'), src,
                                '--only' if mode == 'only' else '--except', '@' + names] +
                               (['--keep-includes'] if mode == 'cut' else []),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True)
            if r.returncode != 0:
                fail(r.stderr.strip())
            body = r.stdout
        write_if_changed(dst, body)
        stub_scan.append(body)

    # A "..." header of mm/ that the shim stands for.
    for path in stubs:
        write_if_changed(os.path.join(out, 'src', os.path.basename(path)),
                         '/* stub: real/shim/include/kshim provides what "%s" gives */\n'
                         '#include <kshim/kshim.h>\n' % os.path.basename(path))

    # stubinc/: every <...> header named, as a stub of kshim.h.
    headers = set()
    for text in stub_scan:
        headers |= set(re.findall(r'^\s*#\s*include\s*<([^>]+)>', text, re.M))
    headers.discard('generated/bounds.h')
    for h in sorted(headers):
        write_if_changed(os.path.join(out, 'stubinc', h),
                         '/* stub: real/shim/include/kshim provides what <%s> gives the allocator */\n'
                         '#include <kshim/kshim.h>\n' % h)
    write_if_changed(os.path.join(out, 'stubbed.txt'),
                     '\n'.join(sorted(headers) + sorted(stubs)) + '\n')
    write_if_changed(os.path.join(out, 'version.txt'), version + '\n')
    h = hashlib.sha1()
    for mode, path, _ in sources:
        h.update(open(os.path.join(work, path), 'rb').read())
    write_if_changed(os.path.join(out, 'source.sha1'), h.hexdigest() + '\n')
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
