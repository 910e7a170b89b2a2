#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation score of the allocator (`make mutation`).

Generates mutants of core/*.c by rule, builds each (SAN=none, in a copy of
the tree where only the mutated file recompiles), and tries to kill it:

  regress  the inputs `make regress` replays (corpus/fuzz_ops,
           corpus/regression/*.bin, corpus/regression/fuzz_boot/*.bin) and
           the KB_BUG witnesses `make check` runs clean (corpus/mutants/*.bin),
           through the mutant's kbuddy
  fuzz     MUTATION_TIME seconds of libFuzzer on the file's fuzz target
           (fuzz_ops; fuzz_boot for the boot paths, fuzz_decode for the
           parsers and printers), from the shipped seeds
  tests    the unit tests and scenarios (`make test`), for what no input
           checks (MUTATION_TESTS=0 skips them)

A mutant is killed by the first stage that reports a violation, a failed
test or a crash (a fuzz finding only when the unmutated fuzz binary runs
the input clean: what the unmutated code fails too is a bug of its own,
reported, and the later stages judge the mutant); "timeout" when an input or the fuzzer hung instead (a
loop that spins must be stopped by a named loop bound, docs/invariants.md);
"survived" when every stage ran clean. Mutants whose object code is the
pristine file's (-O1 or -O2) are equivalent by construction; the others
listed in ci/mutation-equivalent.list were shown equivalent by hand
(docs/mutants.md says why); neither counts. Mutants that do not compile
do not count either.

Rules (one change per mutant, in the code the build compiles):
  ror     a relational operator moved across its boundary (< <=, > >=,
          == !=) or turned around (< >, <= >=)
  const   an integer constant one up or one down
  stmt    an expression statement (a call, an assignment, ++/--) deleted
  neg     the condition of an if or while negated
  minmax  KB_MIN and KB_MAX swapped
  call    a call replaced by a sibling: another function of core/ with the
          same signature (return and parameter types)

Environment (make mutation passes it on):
  MUTATION_TIME    seconds of fuzzing a mutant (default 30; 0 = no fuzzing)
  MUTATION_SAMPLE  mutants to run, a seeded sample of all (default 0 = all)
  MUTATION_SEED    seed of the sample and of libFuzzer (default 1)
  MUTATION_FILES   files to mutate (default core/*.c)
  MUTATION_RULES   rules to use (default all, comma separated)
  MUTATION_ONLY    mutant keys to run (space or comma separated)
  MUTATION_TESTS   1 (default) also runs the unit tests on survivors
  MUTATION_TEST_SAN sanitizers of the tests stage's build (default none:
                   the campaign's build); address,undefined also kills what
                   only a sanitizer sees (an out-of-bounds read, an
                   uninitialized value), as make check's build would
  MUTATION_FRESH   1 forgets earlier results (default: a run resumes, reusing
                   results measured on the same sources and settings)
  MUTATION_EXPECT  KEY=INVARIANT pairs: the run fails unless each such
                   mutant is killed with that invariant (make check's smoke
                   run of the tool)
  O                build root (default build); work in $O/mutation/
Usage: ci/mutation.py [--list] [--help]
  --list   prints the mutants a run would take (keys, lines, changes) and
           their count, without building or running any
  --help   prints this text
Any other argument is an error (exit 2): a mistyped option never starts a
campaign. One run at a time uses $O/mutation/: a second one stops with the
first one's process id, command and start time (use another O= for a
second campaign).

Prints progress at least every 10 s, killed / survived / timeout per file,
the score and the diff of every survivor; writes $O/mutation/report.md.
Exit status 0 when the campaign ran (whatever the score), 1 when an
expectation of MUTATION_EXPECT failed, 2 on an error of the tool.
"""

import fcntl
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
RULES = ('ror', 'const', 'stmt', 'neg', 'minmax', 'call')
EQUIVALENT_LIST = 'ci/mutation-equivalent.list'

# The fuzz target that exercises a file; fuzz_ops for every other one.
FUZZ_TARGET_OF = {
    'core/boot.c': 'fuzz_boot',
    'core/layout.c': 'fuzz_decode',
    'core/textio.c': 'fuzz_decode',
    'core/gfp_names.c': 'fuzz_decode',
}
# Generic seeds for layouts the shipped fuzz_ops corpus lacks (docs/mutants.md).
EXTRA_SEEDS = {'fuzz_ops': ['corpus/mutants/seeds']}

REGRESS_TIMEOUT = 20		# seconds per regress input
BUILD_TIMEOUT = 600
TESTS_TIMEOUT = 1200		# the tests stage; each test binary 300 s, a scenario 60 s
PROGRESS_EVERY = 10


class Heartbeat(threading.Thread):
    """Prints what the campaign is doing when nothing was printed for 10 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.last = time.time()
        self.state, self.since = '', time.time()

    def say(self, msg):
        with self.lock:
            print(msg, flush=True)
            self.last = time.time()

    def doing(self, state):
        with self.lock:
            self.state, self.since = state, time.time()

    def run(self):
        while True:
            time.sleep(1)
            with self.lock:
                now = time.time()
                if self.state and now - self.last >= PROGRESS_EVERY - 1:
                    print('      ... %s (%.0f s)' % (self.state, now - self.since), flush=True)
                    self.last = now


HEARTBEAT = Heartbeat()


def log(msg):
    HEARTBEAT.say(msg)


def die(msg):
    print('mutation: ' + msg, file=sys.stderr, flush=True)
    sys.exit(2)


def env_int(name, default):
    v = os.environ.get(name, '')
    if v == '':
        return default
    if not re.fullmatch(r'[0-9]+', v):
        die('%s must be a whole number (got %r)' % (name, v))
    return int(v)


def usage_line():
    return 'usage: ci/mutation.py [--list] [--help]  (settings in the environment: --help)'


def parse_args(argv):
    """'list' or 'run'; exits 0 after --help, 2 on anything else unknown."""
    listing = False
    for a in argv:
        if a in ('-h', '--help'):
            print(__doc__.strip())
            sys.exit(0)
        elif a == '--list':
            listing = True
        else:
            print('mutation: unknown argument %r' % a, file=sys.stderr)
            print(usage_line(), file=sys.stderr, flush=True)
            sys.exit(2)
    return listing


def lock_work(work):
    """Holds $O/mutation/lock for the life of the process (flock: released when
    it exits, however it exits); stops when another run holds it, naming it."""
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, 'lock')
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 4096, 0).decode(errors='replace').strip() or 'another process'
        os.close(fd)
        die('%s is in use by %s; wait for it to end, or give this run another O=' % (
            work, holder))
    os.ftruncate(fd, 0)
    os.pwrite(fd, ('pid %d (%s, started %s UTC in %s)\n' % (
        os.getpid(), ' '.join(shlex.quote(a) for a in sys.argv),
        time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime()), os.getcwd())).encode(), 0)
    return fd		# kept open: closing it would release the lock


# ------------------------------------------------------------------ lexing

TOKEN_RE = re.compile(r'''
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<number>0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+(?:\.[0-9]+)?[uUlLfF]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!~<>=]=?|[()\[\]{};,.?:#])
''', re.S | re.X)


class Tok:
    __slots__ = ('kind', 'text', 'start', 'end', 'line', 'depth', 'paren')

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, end, line
        self.depth = self.paren = 0


def lex(src):
    """Tokens of a C file without comments, whitespace and preprocessor lines."""
    toks = []
    pos, line, n = 0, 1, len(src)
    at_line_start = True
    while pos < n:
        if at_line_start:
            m = re.match(r'[ \t]*#', src[pos:pos + 200])
            if m:
                # a directive, with its continuation lines
                end = pos
                while True:
                    nl = src.find('\n', end)
                    if nl < 0:
                        end = n
                        break
                    if src[nl - 1] == '\\':
                        end = nl + 1
                        continue
                    end = nl
                    break
                line += src.count('\n', pos, end)
                pos = end
                continue
        m = TOKEN_RE.match(src, pos)
        if not m:
            die('cannot lex at line %d: %r' % (line, src[pos:pos + 20]))
        kind = m.lastgroup
        text = m.group()
        if kind not in ('ws', 'comment'):
            toks.append(Tok(kind, text, pos, m.end(), line))
        nls = text.count('\n')
        line += nls
        if kind == 'ws' and nls:
            at_line_start = True
        elif kind == 'comment' and nls:
            at_line_start = src[m.end() - 1] == '\n'
        else:
            at_line_start = False
        pos = m.end()
    depth = paren = 0
    for t in toks:
        if t.text == '}':
            depth -= 1
        if t.text in (')', ']'):
            paren -= 1
        t.depth, t.paren = depth, paren
        if t.text == '{':
            depth += 1
        if t.text in ('(', '['):
            paren += 1
    return toks


def matching(toks, i):
    """Index of the bracket closing toks[i]."""
    open_, close = toks[i].text, {'(': ')', '[': ']', '{': '}'}[toks[i].text]
    level = 0
    for j in range(i, len(toks)):
        if toks[j].text == open_:
            level += 1
        elif toks[j].text == close:
            level -= 1
            if level == 0:
                return j
    return len(toks) - 1


# --------------------------------------------------------- active lines

def active_lines(path, cflags):
    """Lines of path the preprocessor keeps with the build's flags."""
    cc = shutil.which('clang') or shutil.which('gcc')
    cmd = [cc] + cflags + ['-E', path]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        die('preprocessing %s failed: %s' % (path, out.stderr[:500]))
    lines, cur, lineno = set(), None, 0
    marker = re.compile(r'^# (\d+) "([^"]*)"')
    for text in out.stdout.split('\n'):
        m = marker.match(text)
        if m:
            lineno, cur = int(m.group(1)), m.group(2)
            continue
        if cur == path and text.strip():
            lines.add(lineno)
        lineno += 1
    return lines


# ----------------------------------------------------------- signatures

TYPE_WORDS = {
    'void', 'char', 'short', 'int', 'long', 'unsigned', 'signed', 'bool', 'float', 'double',
    'struct', 'union', 'enum', 'const', 'static', 'inline', 'extern', 'volatile', 'register',
    'size_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t',
    'int64_t', 'uintptr_t', 'gfp_t', 'fpi_t', 'pg_data_t', 'FILE', 'va_list',
}
KEYWORDS = {
    'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'return', 'break',
    'continue', 'goto', 'sizeof', 'typedef', '__attribute__', '__builtin_expect',
} | TYPE_WORDS


def signatures(paths):
    """name -> (signature, file) of every function defined or declared."""
    sigs = {}
    for path in paths:
        src = open(os.path.join(ROOT, path)).read()
        toks = lex(src)
        i = 0
        while i < len(toks):
            t = toks[i]
            if (t.depth == 0 and t.paren == 0 and t.kind == 'ident' and i + 1 < len(toks)
                    and toks[i + 1].text == '(' and t.text not in KEYWORDS):
                # return type: the tokens back to the previous ; } or ) at depth 0
                j = i - 1
                while j >= 0 and toks[j].text not in (';', '}', ')') and not (
                        toks[j].kind == 'ident' and toks[j].text == '__attribute__'):
                    j -= 1
                ret = [x.text for x in toks[j + 1:i]
                       if x.text not in ('static', 'inline', 'extern')]
                close = matching(toks, i + 1)
                after = toks[close + 1].text if close + 1 < len(toks) else ''
                if ret and after in ('{', ';', '__attribute__'):
                    params, cur = [], []
                    for x in toks[i + 2:close]:
                        if x.text == ',' and x.paren == toks[i + 1].paren + 1:
                            params.append(cur)
                            cur = []
                        else:
                            cur.append(x.text)
                    params.append(cur)
                    norm = []
                    for p in params:
                        # drop the parameter's name: a trailing identifier
                        if len(p) > 1 and re.fullmatch(r'[A-Za-z_]\w*', p[-1]) and \
                                p[-1] not in TYPE_WORDS:
                            p = p[:-1]
                        norm.append(' '.join(p))
                    sig = ' '.join(ret) + '(' + ','.join(norm) + ')'
                    if '...' not in sig and '(' not in ''.join(ret):
                        sigs.setdefault(t.text, (sig, path))
                i = close + 1
                continue
            i += 1
    return sigs


# -------------------------------------------------------------- mutants

class Mutant:
    __slots__ = ('file', 'line', 'start', 'end', 'repl', 'rule', 'key', 'orig_line', 'new_line')


def line_bounds(src, pos):
    a = src.rfind('\n', 0, pos) + 1
    b = src.find('\n', pos)
    return a, (len(src) if b < 0 else b)


def make_mutant(path, src, rule, start, end, repl, line, seen):
    m = Mutant()
    m.file, m.rule, m.start, m.end, m.repl, m.line = path, rule, start, end, repl, line
    a, _ = line_bounds(src, start)
    _, b = line_bounds(src, max(start, end - 1))
    orig = src[a:b]
    new = src[a:start] + repl + src[end:b]
    m.orig_line, m.new_line = orig, new
    # stable across edits elsewhere: the lines' text, the rule, the nth such change there
    base = '%s|%s|%s|%s' % (path, rule, ' '.join(orig.split()), ' '.join(new.split()))
    nth = seen.get(base, 0)
    seen[base] = nth + 1
    m.key = hashlib.sha1(('%s|%d' % (base, nth)).encode()).hexdigest()[:10]
    return m


def mutants_of(path, cflags, sigs, rules):
    src = open(os.path.join(ROOT, path)).read()
    toks = lex(src)
    live = active_lines(path, cflags)
    out, seen = [], {}

    def add(rule, start, end, repl, line):
        if rule in rules and line in live:
            out.append(make_mutant(path, src, rule, start, end, repl, line, seen))

    siblings = {}
    for name, (sig, where) in sigs.items():
        siblings.setdefault(sig, []).append(name)
    visible = {n for n, (s, w) in sigs.items() if w.endswith('.h') or w == path}

    for i, t in enumerate(toks):
        inside = t.depth >= 1		# in a function body (or an initializer)
        if not inside:
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == 'punct':
            swaps = {'<': ['<=', '>'], '<=': ['<', '>='], '>': ['>=', '<'],
                     '>=': ['>', '<='], '==': ['!='], '!=': ['==']}
            for r in swaps.get(t.text, []):
                add('ror', t.start, t.end, r, t.line)
        elif t.kind == 'number' and re.fullmatch(r'(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*', t.text):
            m = re.fullmatch(r'(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)', t.text)
            digits, suffix = m.group(1), m.group(2)
            if prev is not None and prev.text == '[' and nxt is not None and nxt.text == ']' \
                    and i >= 3 and toks[i - 2].kind == 'ident' and \
                    (toks[i - 3].kind == 'ident' or toks[i - 3].text == '*'):
                continue		# an array size in a declaration: TYPE name[N]
            value = int(digits, 16) if digits[:2].lower() == '0x' else int(digits)
            fmt = (lambda v: hex(v)) if digits[:2].lower() == '0x' else str
            for v in (value + 1, value - 1):
                if v >= 0:
                    add('const', t.start, t.end, fmt(v) + suffix, t.line)
        elif t.kind == 'ident':
            if t.text in ('KB_MIN', 'KB_MAX') and nxt is not None and nxt.text == '(':
                add('minmax', t.start, t.end, 'KB_MAX' if t.text == 'KB_MIN' else 'KB_MIN',
                    t.line)
            if t.text in ('if', 'while') and nxt is not None and nxt.text == '(':
                close = matching(toks, i + 1)
                a, b = toks[i + 2].start, toks[close - 1].end
                add('neg', a, b, '!(' + src[a:b] + ')', t.line)
            if nxt is not None and nxt.text == '(' and t.text in sigs and \
                    (prev is None or prev.text not in ('.', '->')):
                group = sorted(siblings.get(sigs[t.text][0], []))
                others = [n for n in group if n != t.text and n in visible]
                if others:
                    k = group.index(t.text)
                    picks = []
                    for d in range(1, len(group)):
                        cand = group[(k + d) % len(group)]
                        if cand in others and cand not in picks:
                            picks.append(cand)
                        if len(picks) == 2:
                            break
                    for cand in picks:
                        add('call', t.start, t.end, cand, t.line)
    # statement deletion: expression statements at paren level 0 in a body
    i = 0
    while i < len(toks):
        t = toks[i]
        starts = t.depth >= 1 and t.paren == 0 and i > 0 and (
            toks[i - 1].text in (';', '{', '}') or
            (toks[i - 1].text == ')' and toks[i - 1].paren == 0 and
             opener_keyword(toks, i - 1) in ('if', 'while', 'for')) or
            toks[i - 1].text == 'else' or
            (toks[i - 1].text == ':' and is_label_colon(toks, i - 1)))
        if starts and is_expression_statement(toks, i):
            j = i
            while j < len(toks) and not (toks[j].text == ';' and toks[j].paren == 0) and \
                    not (toks[j].text in ('{', '}') and toks[j].paren == 0):
                j += 1
            if j < len(toks) and toks[j].text == ';':
                add('stmt', t.start, toks[j].end, ';', t.line)
        i += 1
    return out


def opener_keyword(toks, close):
    """The keyword before the ( that the ) at close closes."""
    level = 0
    for j in range(close, -1, -1):
        if toks[j].text == ')':
            level += 1
        elif toks[j].text == '(':
            level -= 1
            if level == 0:
                return toks[j - 1].text if j else ''
    return ''


def is_label_colon(toks, i):
    """A ':' that ends a case label or a goto label (not ?: or a bit field)."""
    j = i - 1
    if toks[j].kind == 'ident' and (j == 0 or toks[j - 1].text in (';', '{', '}')):
        return True		# a goto label
    level = 0
    while j >= 0 and toks[j].text not in (';', '{', '}'):
        if toks[j].text == '?':
            return False
        if toks[j].text in ('case', 'default'):
            return True
        j -= 1
    return False


def is_expression_statement(toks, i):
    t = toks[i]
    if t.text in KEYWORDS or t.text in (';', '{', '}', '#'):
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None:
        return False
    if t.kind == 'ident':
        if nxt.kind == 'ident':
            return False		# a declaration: TYPE name
        if nxt.text == '*' and i + 2 < len(toks) and toks[i + 2].kind == 'ident' and \
                i + 3 < len(toks) and toks[i + 3].text in ('=', ';', ',', '[', ')'):
            return False		# a declaration: TYPE *name
        if nxt.text == ':':
            return False		# a label
        return True
    return t.text in ('++', '--', '*', '(')


def all_mutants(files, cflags, rules):
    headers = sorted(os.path.join('core', f) for f in os.listdir(os.path.join(ROOT, 'core'))
                     if f.endswith('.h'))
    core_c = sorted(os.path.join('core', f) for f in os.listdir(os.path.join(ROOT, 'core'))
                    if f.endswith('.c'))
    sigs = signatures(headers + core_c)
    out = []
    for f in files:
        out.extend(mutants_of(f, cflags, sigs, rules))
    return out


def unified(m):
    return '--- %s:%d\n+++ %s:%d (%s)\n-%s\n+%s' % (m.file, m.line, m.file, m.line, m.rule,
                                                  m.orig_line, m.new_line)


# --------------------------------------------------------------- the tree

def tracked_files():
    try:
        out = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, capture_output=True,
                             check=True)
        files = [f for f in out.stdout.decode().split('\0') if f]
        # files added but not committed yet are the sources too
        out = subprocess.run(['git', 'ls-files', '-z', '--others', '--exclude-standard'],
                             cwd=ROOT, capture_output=True, check=True)
        files += [f for f in out.stdout.decode().split('\0') if f]
        return sorted(set(f for f in files if os.path.isfile(os.path.join(ROOT, f))))
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(ROOT):
            rel = os.path.relpath(d, ROOT)
            if rel.split(os.sep)[0] in ('build', '.git'):
                dirs[:] = []
                continue
            files += [os.path.normpath(os.path.join(rel, n)) for n in names]
        return sorted(files)


def sync_tree(tree):
    """Copies the sources into tree, touching only files whose content changed."""
    files = tracked_files()
    for f in files:
        src, dst = os.path.join(ROOT, f), os.path.join(tree, f)
        data = open(src, 'rb').read()
        if os.path.exists(dst) and open(dst, 'rb').read() == data:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, 'wb') as fh:
            fh.write(data)
        shutil.copymode(src, dst)
    keep = set(files)
    for d, dirs, names in os.walk(tree):
        rel = os.path.relpath(d, tree)
        if rel.split(os.sep)[0] == 'build':
            dirs[:] = []
            continue
        for n in names:
            f = os.path.normpath(os.path.join(rel, n))
            if f not in keep:
                os.unlink(os.path.join(tree, f))
    return files


def fingerprint(files):
    """What a result depends on: every source but the documentation."""
    h = hashlib.sha1()
    for f in files:
        if f.startswith('docs/') or f.endswith('.md') or f == EQUIVALENT_LIST:
            continue
        h.update(f.encode() + b'\0')
        h.update(open(os.path.join(ROOT, f), 'rb').read())
    return h.hexdigest()[:16]


class Build:
    def __init__(self, tree, objroot, targets, san='none'):
        self.tree, self.objroot = tree, objroot
        self.args = ['make', '--no-print-directory', '-C', tree, 'O=' + objroot, 'SAN=' + san,
                     'CHECK_LEVEL=2', 'PROFILE=mainline', 'BUG=', 'V=0',
                     'EXTRA_CFLAGS=-Wno-error', 'EXTRA_LDFLAGS=']
        self.build_dir = self.query('BUILD_DIR')
        self.fuzz_dir = self.query('FUZZ_DIR')
        self.kbuddy = os.path.join(self.build_dir, 'kbuddy')
        self.targets = targets

    def query(self, var):
        mk = '_kb_mutation_print:\n\t@echo $(%s)\n' % var
        out = subprocess.run(self.args + ['-f', 'Makefile', '-f', '/dev/stdin',
                                          '_kb_mutation_print'],
                             input=mk, capture_output=True, text=True)
        if out.returncode:
            die('make cannot tell its %s: %s' % (var, out.stderr[:400]))
        path = out.stdout.strip().split('\n')[-1]
        return path if os.path.isabs(path) else os.path.join(self.tree, path)

    def objects(self, src):
        """The objects of src that the campaign links: the fuzz build's only when fuzzing."""
        o = src[:-2] + '.o'
        return [os.path.join(self.build_dir, o)] + \
            ([os.path.join(self.fuzz_dir, o)] if self.targets else [])

    def make(self, goals, logpath):
        with open(logpath, 'ab') as fh:
            try:
                r = subprocess.run(self.args + ['-j1'] + goals, stdout=fh,
                                   stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                return False
        return r.returncode == 0

    def all_goals(self, tests=False):
        goals = [self.kbuddy] + [os.path.join(self.fuzz_dir, t) for t in self.targets]
        if tests:
            goals.append('tests')
        return goals

    def cflags_file(self):
        return os.path.join(self.build_dir, 'cflags')

    def cflags(self):
        """The -D, -I and -std flags of the library build (for the preprocessor)."""
        path = self.cflags_file()
        words = shlex.split(open(path).read())
        keep = [w for w in words if w.startswith(('-D', '-I', '-std'))]
        return keep


def stripped(obj):
    """An object's bytes without debug information (None when unreadable)."""
    tmp = obj + '.nodebug'
    objcopy = shutil.which('llvm-objcopy') or shutil.which('objcopy')
    if not objcopy or not os.path.exists(obj):
        return None
    if subprocess.run([objcopy, '--strip-debug', obj, tmp], capture_output=True).returncode:
        return None
    data = open(tmp, 'rb').read()
    os.unlink(tmp)
    return data


# ---------------------------------------------------------------- stages

def signature_of(text):
    m = re.search(r'^KBUDDY-SIGNATURE: (\S+)', text, re.M)
    return m.group(1) if m else None


def crash_of(text, rc):
    for pat in (r'ERROR: AddressSanitizer: ([\w-]+)', r'ERROR: libFuzzer: ([\w-]+)',
                r'(runtime error)', r'ERROR: ([\w-]+)Sanitizer'):
        m = re.search(pat, text)
        if m:
            return m.group(1).replace(' ', '-')
    if rc is not None and rc < 0:
        return 'signal-%d' % -rc
    if rc is not None and rc >= 128:
        return 'signal-%d' % (rc - 128)
    return 'exit-%s' % rc


def run_quiet(cmd, timeout, cwd):
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
        return r.returncode, (r.stdout + r.stderr).decode(errors='replace'), False
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'') + (e.stderr or b'')
        return None, out.decode(errors='replace'), True


def regress_inputs(tree):
    """What make regress replays, and the KB_BUG witnesses make check runs clean."""
    files = []
    d = os.path.join(tree, 'corpus/fuzz_ops')
    if os.path.isdir(d):
        for base, _, names in os.walk(d):
            files += [(os.path.join(base, n), 'fuzz_ops') for n in names]
    files.sort()
    reg = os.path.join(tree, 'corpus/regression')
    if os.path.isdir(reg):
        files += [(os.path.join(reg, n), 'fuzz_ops') for n in sorted(os.listdir(reg))
                  if n.endswith('.bin')]
        boot = os.path.join(reg, 'fuzz_boot')
        if os.path.isdir(boot):
            files += [(os.path.join(boot, n), 'fuzz_boot') for n in sorted(os.listdir(boot))
                      if n.endswith('.bin')]
    # make regress reads each entry's text form too (ci/check_regression.sh
    # encodes it): a text reader that fails or hangs is killed here
    if os.path.isdir(reg):
        for d in (reg, os.path.join(reg, 'fuzz_boot')):
            if os.path.isdir(d):
                files += [(os.path.join(d, n), 'text') for n in sorted(os.listdir(d))
                          if n.endswith('.txt')]
    wit = os.path.join(tree, 'corpus/mutants')
    if os.path.isdir(wit):
        files += [(os.path.join(wit, n), 'fuzz_ops') for n in sorted(os.listdir(wit))
                  if n.endswith('.bin')]
    return files


def stage_regress(build, tree, inputs):
    """('killed', reason) / ('timeout', input) / None when every input ran clean."""
    for path, target in inputs:
        name = os.path.relpath(path, tree)
        if target == 'text':
            # a text form is encoded (as make regress checks it); a reader
            # stopped by its bound names it in the parse error
            rc, out, timed_out = run_quiet([build.kbuddy, 'encode', path, '-o', os.devnull],
                                           REGRESS_TIMEOUT, tree)
            if timed_out:
                return 'timeout', 'regress %s hung' % name
            if rc != 0:
                m = re.search(r'\b(loop-[a-z0-9-]+)', out)
                return 'killed', (m.group(1) if m else 'text-error') + ' (regress %s)' % name
            continue
        # every other input is a fuzz target's binary input (as make regress runs them)
        cmd = [build.kbuddy, 'run', '--quiet', '--binary'] + \
              (['--target', 'fuzz_boot'] if target == 'fuzz_boot' else []) + [path]
        rc, out, timed_out = run_quiet(cmd, REGRESS_TIMEOUT, tree)
        if timed_out:
            return 'timeout', 'regress %s hung' % name
        if rc != 0:
            sig = signature_of(out)
            return 'killed', (sig if sig and rc == 1 else crash_of(out, rc)) + \
                ' (regress %s)' % name
    return None


def fuzz_flags(tree, target):
    flags = []
    path = os.path.join(tree, 'fuzz', target + '.options')
    if os.path.exists(path):
        section = None
        for raw in open(path):
            line = raw.strip()
            if not line or line[0] in '#;':
                continue
            if line.startswith('['):
                section = line
                continue
            if section == '[libfuzzer]' and '=' in line:
                k, v = (x.strip() for x in line.split('=', 1))
                if k == 'dict' and not os.path.isabs(v):
                    v = os.path.join(tree, 'fuzz', os.path.basename(v))
                flags.append('-%s=%s' % (k, v))
    return flags


def shared_with_pristine(pristine, work):
    """The first artifact of a fuzz run that the unmutated fuzz binary fails
    too (a finding of the unmutated code, not a kill), or None."""
    adir = os.path.join(work, 'artifacts')
    env = dict(os.environ, KBUDDY_CHECK_LEVEL='2')
    for name in sorted(os.listdir(adir)) if os.path.isdir(adir) else []:
        path = os.path.join(adir, name)
        try:
            r = subprocess.run([pristine, path], cwd=work, capture_output=True, env=env,
                               timeout=REGRESS_TIMEOUT)
        except subprocess.TimeoutExpired:
            return name
        if r.returncode != 0:
            return name
    return None


def stage_fuzz(build, tree, target, seconds, seed, work, pristine=None):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, 'corpus'))
    os.makedirs(os.path.join(work, 'artifacts'))
    seeds = [os.path.join(tree, 'corpus', target)] + \
        [os.path.join(tree, d) for d in EXTRA_SEEDS.get(target, [])]
    cmd = [os.path.join(build.fuzz_dir, target)] + fuzz_flags(tree, target) + \
        ['-seed=%d' % seed, '-max_total_time=%d' % seconds, '-print_final_stats=1',
         '-artifact_prefix=' + os.path.join(work, 'artifacts') + '/',
         os.path.join(work, 'corpus')] + [s for s in seeds if os.path.isdir(s)]
    logpath = os.path.join(work, 'fuzz.log')
    env = dict(os.environ, KBUDDY_CHECK_LEVEL='2')
    t0 = time.time()
    with open(logpath, 'wb') as fh:
        p = subprocess.Popen(cmd, cwd=work, stdout=fh, stderr=subprocess.STDOUT, env=env)
        try:
            rc = p.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return 'timeout', 'fuzz %s did not stop (%.0f s)' % (target, time.time() - t0)
    out = open(logpath, errors='replace').read()
    sig = signature_of(out)
    if (sig or rc != 0) and pristine:
        # what the unmutated build finds as well is no kill of this mutant
        shared = shared_with_pristine(pristine, work)
        if shared:
            return 'shared', '%s (fuzz %s: the unmutated build fails %s too)' % (
                sig or crash_of(out, rc), target, shared)
    if re.search(r'ERROR: libFuzzer: timeout', out) and not sig:
        return 'timeout', 'fuzz %s: libFuzzer timeout after %.1f s' % (target, time.time() - t0)
    if sig:
        return 'killed', '%s (fuzz %s, %.1f s)' % (sig, target, time.time() - t0)
    if rc != 0:
        return 'killed', '%s (fuzz %s, %.1f s)' % (crash_of(out, rc), target, time.time() - t0)
    return None


def stage_tests(build, tree, logpath):
    cmd = ['bash', os.path.join(tree, 'tests/run_tests.sh'), '-b', build.build_dir,
           '-s', 'unit,scenario']
    # generous: a loaded machine must not turn a slow test into a timeout
    env = dict(os.environ, TEST_TIMEOUT='300', ITEM_TIMEOUT='60')
    try:
        r = subprocess.run(cmd, cwd=tree, capture_output=True, timeout=TESTS_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return 'timeout', 'tests hung'
    out = (r.stdout + r.stderr).decode(errors='replace')
    with open(logpath, 'w') as fh:
        fh.write(out)
    if r.returncode == 0:
        return None
    m = re.search(r'^---- FAIL: (.*)$', out, re.M)
    what = m.group(1) if m else 'a test'
    if 'timed out' in what or 'timeout' in what:
        return 'timeout', 'tests: %s' % what
    return 'killed', 'tests: %s' % what


# ---------------------------------------------------------------- results

def load_equivalent():
    path = os.path.join(ROOT, EQUIVALENT_LIST)
    eq = {}
    if os.path.exists(path):
        for raw in open(path):
            line = raw.split('#', 1)[0].strip()
            if line:
                key, _, why = line.partition(' ')
                eq[key] = why.strip()
    return eq


def main():
    listing = parse_args(sys.argv[1:])
    seconds = env_int('MUTATION_TIME', 30)
    sample = env_int('MUTATION_SAMPLE', 0)
    seed = env_int('MUTATION_SEED', 1)
    with_tests = env_int('MUTATION_TESTS', 1) != 0
    fresh = env_int('MUTATION_FRESH', 0) != 0
    test_san = os.environ.get('MUTATION_TEST_SAN', '') or 'none'
    if test_san != 'none' and not re.fullmatch(r'(address|undefined)(,(address|undefined))?',
                                                test_san):
        die('MUTATION_TEST_SAN must be none or address, undefined or both (got %r)' % test_san)
    rules = tuple(r for r in re.split(r'[ ,]+', os.environ.get('MUTATION_RULES', '')) if r) \
        or RULES
    for r in rules:
        if r not in RULES:
            die('unknown rule %r (rules: %s)' % (r, ' '.join(RULES)))
    only = [k for k in re.split(r'[ ,]+', os.environ.get('MUTATION_ONLY', '')) if k]
    expect = {}
    for pair in re.split(r'[ ,]+', os.environ.get('MUTATION_EXPECT', '')):
        if pair:
            k, _, inv = pair.partition('=')
            if not inv:
                die('MUTATION_EXPECT wants KEY=INVARIANT pairs (got %r)' % pair)
            expect[k] = inv
    if expect and not only:
        only = list(expect)
    files = os.environ.get('MUTATION_FILES', '').split()
    if not files:
        files = sorted(os.path.join('core', f) for f in os.listdir(os.path.join(ROOT, 'core'))
                       if f.endswith('.c'))
    for f in files:
        if not (f.startswith('core/') and f.endswith('.c') and
                os.path.exists(os.path.join(ROOT, f))):
            die('MUTATION_FILES: %r is not a file core/*.c' % f)

    O = os.environ.get('O', 'build')
    O = O if os.path.isabs(O) else os.path.join(ROOT, O)
    work = os.path.join(O, 'mutation')
    tree = os.path.join(work, 'tree')
    objroot = os.path.join(work, 'obj')
    lock = lock_work(work)
    os.makedirs(tree, exist_ok=True)
    HEARTBEAT.start()

    log('mutation: syncing the tree copy (%s)' % os.path.relpath(tree, ROOT))
    tracked = sync_tree(tree)
    fp = fingerprint(tracked)
    targets = sorted(set(FUZZ_TARGET_OF.get(f, 'fuzz_ops') for f in files)) if seconds else []
    build = Build(tree, objroot, targets)
    # the tests stage's build: the campaign's, or one with sanitizers
    tbuild = Build(tree, objroot, [], test_san) if with_tests and test_san != 'none' else build
    buildlog = os.path.join(work, 'build.log')
    open(buildlog, 'w').close()
    HEARTBEAT.doing('building the unmutated tree')
    if listing:
        ok = build.make([build.cflags_file()], buildlog)
    else:
        log('mutation: building the unmutated tree (SAN=none; objects are reused) ...')
        ok = build.make(build.all_goals(with_tests), buildlog)
        # the unmutated fuzz binaries: an input they fail too kills no mutant
        pristine_dir = os.path.join(work, 'pristine')
        os.makedirs(pristine_dir, exist_ok=True)
        for t in targets if ok else []:
            shutil.copy2(os.path.join(build.fuzz_dir, t), os.path.join(pristine_dir, t))
        if ok and tbuild is not build:
            ok = tbuild.make([tbuild.kbuddy, 'tests'], buildlog)
    HEARTBEAT.doing('')
    if not ok:
        die('the unmutated tree does not build: see %s' % buildlog)

    cflags = build.cflags()
    HEARTBEAT.doing('generating mutants')
    muts = all_mutants(files, cflags, rules)
    HEARTBEAT.doing('')
    by_key = {m.key: m for m in muts}
    if only:
        missing = [k for k in only if k not in by_key]
        if missing:
            die('no mutant has the key(s) %s (did the line change? ci/mutation.py --list '
                'lists the keys)' % ' '.join(missing))
        chosen = [by_key[k] for k in only]
    elif sample and sample < len(muts):
        order = sorted(muts, key=lambda m: hashlib.sha1(
            ('%d|%s' % (seed, m.key)).encode()).hexdigest())
        chosen = order[:sample]
    else:
        chosen = muts
    # grouped by file: only the mutated file recompiles, once a mutant
    chosen.sort(key=lambda m: (files.index(m.file), m.line, m.key))

    if listing:
        for m in chosen:
            print('%s %s:%d %s\n    - %s\n    + %s' % (m.key, m.file, m.line, m.rule,
                                                      m.orig_line.strip(), m.new_line.strip()))
        per_rule = {}
        for m in chosen:
            per_rule[m.rule] = per_rule.get(m.rule, 0) + 1
        log('%d mutants (%s) of %d generated from %d files' % (
            len(chosen), ', '.join('%s %d' % (r, per_rule.get(r, 0)) for r in RULES),
            len(muts), len(files)))
        return 0

    settings = {'time': seconds, 'seed': seed, 'tests': with_tests, 'fp': fp}
    if tbuild is not build:
        settings['test_san'] = test_san
    results_path = os.path.join(work, 'results.jsonl')
    done = {}
    if fresh and os.path.exists(results_path):
        os.unlink(results_path)
    if os.path.exists(results_path):
        for raw in open(results_path):
            try:
                r = json.loads(raw)
            except ValueError:
                continue
            if r.get('settings') == settings:
                done[r['key']] = r
    equivalent = load_equivalent()
    inputs = regress_inputs(tree)
    # an input the correct build fails would kill every mutant
    HEARTBEAT.doing('replaying the regression inputs on the unmutated build')
    base = stage_regress(build, tree, inputs)
    HEARTBEAT.doing('')
    if base is not None:
        die('the unmutated build does not run the regression inputs clean: %s %s' % base)

    log('mutation: %d mutants of %d generated (%s) from %d files; %d s of fuzzing each%s; '
        '%d measured before on the same sources' % (
            len(chosen), len(muts),
            'the keys asked for' if only else
            ('a sample, seed %d' % seed) if sample and sample < len(muts) else 'all',
            len(files), seconds, ', unit tests on survivors' if with_tests else '',
            sum(1 for m in chosen if m.key in done)))

    results = []
    current = None
    originals = {}
    pristine = []

    def write_newer(path, text, objs):
        """Writes a source so that make sees it newer than its objects."""
        full = os.path.join(tree, path)
        with open(full, 'w') as fh:
            fh.write(text)
        newest = max([os.path.getmtime(o) for o in objs if os.path.exists(o)] + [0])
        t = max(time.time(), newest + 1)
        os.utime(full, (t, t))

    try:
        for n, m in enumerate(chosen, 1):
            if m.key in done:
                results.append(done[m.key])
                continue
            objs = build.objects(m.file)
            if m.file != current:
                if current is not None:
                    write_newer(current, originals[current], build.objects(current))
                current = m.file
                originals[m.file] = open(os.path.join(tree, m.file)).read()
                # objects left by an earlier run may be a mutant's: build them first
                if not build.make(objs, buildlog):
                    die('the unmutated %s does not build: see %s' % (m.file, buildlog))
                pristine = [stripped(o) for o in objs]
            src = originals[m.file]
            t0 = time.time()
            log('[%d/%d] %s %s:%d %s: %s' % (n, len(chosen), m.key, m.file, m.line, m.rule,
                                             m.new_line.strip()[:100]))
            write_newer(m.file, src[:m.start] + m.repl + src[m.end:], objs)
            mlog = os.path.join(work, 'logs', m.key + '.log')
            os.makedirs(os.path.dirname(mlog), exist_ok=True)
            open(mlog, 'w').close()
            status, reason, stage = None, '', ''
            shared_finding = ''
            HEARTBEAT.doing('building ' + m.key)
            if not build.make(objs, mlog):
                status, reason = 'invalid', 'does not compile'
            elif any(a is not None and a == b
                     for a, b in zip([stripped(o) for o in objs], pristine)):
                status, reason = 'equivalent', 'the same object code'
            elif not build.make(build.all_goals(), mlog):
                status, reason = 'invalid', 'does not link'
            if status is None:
                HEARTBEAT.doing('replaying the regression inputs on ' + m.key)
                res, stage = stage_regress(build, tree, inputs), 'regress'
                if res is None and seconds:
                    target = FUZZ_TARGET_OF.get(m.file, 'fuzz_ops')
                    HEARTBEAT.doing('fuzzing %s with %s for %d s' % (m.key, target, seconds))
                    res, stage = stage_fuzz(build, tree, target, seconds, seed,
                                            os.path.join(work, 'fuzz', m.key),
                                            os.path.join(work, 'pristine', target)), 'fuzz'
                    if res is not None and res[0] == 'shared':
                        shared_finding = res[1]
                        log('      fuzz: %s; not counted' % res[1])
                        res = None
                if res is None and with_tests:
                    HEARTBEAT.doing('unit tests and scenarios on ' + m.key)
                    if tbuild.make([tbuild.kbuddy, 'tests'], mlog):
                        res = stage_tests(tbuild, tree, mlog + '.tests')
                    else:
                        res = ('invalid', 'the tests do not link')
                    stage = 'tests'
                if res is None:
                    status, stage = 'survived', ''
                else:
                    status, reason = res
            HEARTBEAT.doing('')
            r = {'key': m.key, 'file': m.file, 'line': m.line, 'rule': m.rule,
                 'status': status, 'stage': stage, 'reason': reason,
                 'seconds': round(time.time() - t0, 1), 'diff': unified(m),
                 'settings': settings}
            if shared_finding:
                r['shared'] = shared_finding
            results.append(r)
            with open(results_path, 'a') as fh:
                fh.write(json.dumps(r) + '\n')
            verdict = status
            if status == 'survived' and m.key in equivalent:
                verdict = 'survived, equivalent by hand'
            log('      %s%s (%.1f s)' % (verdict, (': ' + reason) if reason else '',
                                        time.time() - t0))
    finally:
        HEARTBEAT.doing('')
        if current is not None:
            write_newer(current, originals[current], build.objects(current))

    return summarize(results, muts, files, work, sample, seed, seconds, only, expect,
                     equivalent)


def summarize(results, muts, files, work, sample, seed, seconds, only, expect,
              equivalent):
    # hand verdicts apply to results measured before they were made, too
    results = [dict(r, status='equivalent', reason='by hand: ' + equivalent[r['key']])
               if r['status'] == 'survived' and r['key'] in equivalent else r
               for r in results]
    per = {}
    for r in results:
        per.setdefault(r['file'], {}).setdefault(r['status'], 0)
        per[r['file']][r['status']] += 1
    cols = ('killed', 'survived', 'timeout', 'equivalent', 'invalid')
    lines = ['| file | ' + ' | '.join(cols) + ' | score |', '|---' * (len(cols) + 2) + '|']
    tot = {c: 0 for c in cols}
    for f in files:
        c = per.get(f, {})
        if not c:
            continue
        for k in cols:
            tot[k] += c.get(k, 0)
        counted = c.get('killed', 0) + c.get('survived', 0) + c.get('timeout', 0)
        score = ('%.0f%%' % (100.0 * c.get('killed', 0) / counted)) if counted else '-'
        lines.append('| %s | %s | %s |' % (f, ' | '.join(str(c.get(k, 0)) for k in cols), score))
    counted = tot['killed'] + tot['survived'] + tot['timeout']
    score = 100.0 * tot['killed'] / counted if counted else 0.0
    lines.append('| all | %s | %.1f%% |' % (' | '.join(str(tot[k]) for k in cols), score))
    by_stage = {}
    for r in results:
        if r['status'] == 'killed':
            by_stage[r['stage']] = by_stage.get(r['stage'], 0) + 1
    loops = sum(1 for r in results if r['status'] == 'killed' and r['reason'].startswith('loop-'))

    head = ('%d mutants%s of %d generated from %s; %d s of fuzzing each (seed %d)' % (
        len(results), (' (a sample of %d)' % sample) if sample and not only else '', len(muts),
        ' '.join(files) if len(files) <= 4 else '%d files of core/' % len(files), seconds, seed))
    summary = [head, '',
               'killed %d (regress %d, fuzz %d, tests %d; %d by a loop bound), survived %d, '
               'timeout %d, equivalent %d, did not compile %d' % (
                   tot['killed'], by_stage.get('regress', 0), by_stage.get('fuzz', 0),
                   by_stage.get('tests', 0), loops, tot['survived'], tot['timeout'],
                   tot['equivalent'], tot['invalid']),
               'score: %.1f%% of the %d non-equivalent mutants killed' % (score, counted)]
    shared = [r for r in results if r.get('shared')]
    if shared:
        summary.append('the unmutated build fails what the fuzz stage found for %d mutants '
                       '(not counted as kills; the later stages judged them): %s' % (
                           len(shared), '; '.join('%s %s' % (r['key'], r['shared'])
                                                  for r in shared[:3]) +
                           (' ...' if len(shared) > 3 else '')))
    survivors = [r for r in results if r['status'] in ('survived', 'timeout')]
    out = ['# Mutation report', ''] + summary + [''] + lines + ['']
    if survivors:
        out += ['## Survivors and timeouts', '']
        for r in survivors:
            out += ['%s %s %s%s' % (r['key'], r['status'], r['file'],
                                    (' (' + r['reason'] + ')') if r['reason'] else ''),
                    '```diff', r['diff'], '```', '']
    report = os.path.join(work, 'report.md')
    with open(report, 'w') as fh:
        fh.write('\n'.join(out) + '\n')

    log('')
    for s in lines:
        log(s)
    log('')
    for s in summary:
        log(s)
    for r in survivors:
        log('')
        log('%s %s%s' % (r['key'], r['status'], (': ' + r['reason']) if r['reason'] else ''))
        log(r['diff'])
    log('')
    log('report: %s' % os.path.relpath(report, ROOT))

    bad = 0
    by_key = {r['key']: r for r in results}
    for k, inv in expect.items():
        r = by_key.get(k)
        got = r['reason'].split(' ')[0] if r and r['status'] == 'killed' else \
            (r['status'] if r else 'not run')
        if got != inv:
            log('EXPECTED %s to be killed by %s, got %s' % (k, inv, got))
            bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main())
