#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cut named top-level definitions out of a kernel source file.

    extract.py FILE --only NAME...      keep the items named, drop the rest
    extract.py FILE --except NAME...    keep every item but those named

A NAME of the form @LIST reads names from the file LIST, one a line (# starts
a comment).

An item is a top-level C definition or declaration: a function, a struct,
union or enum definition, a typedef, a variable, a macro (#define). Every
conditional directive (#if, #ifdef, #else, #endif ...) is kept, so a kept
item stays under the CONFIG_ tests that guard it in the kernel; #include
lines are dropped (the shim provides what they would) unless
--keep-includes is given (a .c file cut with --except keeps them). Names:

    foo              a function, variable, typedef or macro foo
    struct foo       the definition of struct foo (likewise union, enum)
    enum{FIRST}      an anonymous enum, by its first enumerator

With --only, macros are kept unless --drop-macro names them (a macro costs
nothing until it is used). The output starts with a line saying where it
came from. A name given but not found is an error: the kernel changed, and
the shim must follow.
"""
import re
import sys

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
KEYWORDS = {'static', 'inline', 'extern', 'const', 'volatile', 'unsigned',
            'signed', 'struct', 'union', 'enum', 'typedef', 'void', 'int',
            'long', 'short', 'char', 'bool', 'register'}


def logical_lines(text):
    """Lines with backslash continuations joined (kept as one string)."""
    out, cur = [], ''
    for line in text.split('\n'):
        if line.endswith('\\'):
            cur += line + '\n'
            continue
        out.append(cur + line)
        cur = ''
    if cur:
        out.append(cur)
    return out


def strip_code(s, state):
    """s without comments, strings and chars; state carries /* */ across."""
    out, i, n = [], 0, len(s)
    while i < n:
        if state['comment']:
            j = s.find('*/', i)
            if j < 0:
                return ''.join(out)
            state['comment'] = False
            i = j + 2
            continue
        c = s[i]
        if s.startswith('/*', i):
            state['comment'] = True
            i += 2
        elif s.startswith('//', i):
            break
        elif c in '"\'':
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            out.append(' ')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def item_names(code):
    """The names a top-level item defines (see the module doc)."""
    names = set()
    code = ' '.join(code.split())
    m = re.match(r'#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)', code)
    if m:
        return {m.group(1)}
    for kind in ('struct', 'union', 'enum'):
        for m in re.finditer(r'\b%s\s+([A-Za-z_]\w*)\s*\{' % kind, code):
            names.add('%s %s' % (kind, m.group(1)))
    m = re.match(r'(?:typedef\s+)?enum\s*\{\s*([A-Za-z_]\w*)', code)
    if m:
        names.add('enum{%s}' % m.group(1))
    # Text at depth 0: the declarator part.
    depth, top = 0, []
    for c in code:
        if c in '({[':
            if depth == 0:
                top.append(c)
            depth += 1
        elif c in ')}]':
            depth -= 1
            if depth == 0:
                top.append(c)
        elif depth == 0:
            top.append(c)
    top = ''.join(top)
    if code.startswith('typedef'):
        ids = IDENT.findall(top.split(';')[0])
        if ids:
            names.add(ids[-1])
        m = re.search(r'\(\s*\*\s*([A-Za-z_]\w*)\s*\)', code)
        if m:
            names.add(m.group(1))
        return names
    # A function (definition or prototype): the identifier before the first
    # '(' that is not an attribute.
    for m in re.finditer(r'([A-Za-z_]\w*)\s*\(', top):
        name = m.group(1)
        if name.startswith('__attribute') or name in ('__printf', '__aligned',
                                                       '__section', '__must_hold',
                                                       '__releases', '__acquires',
                                                       '__alloc_size', '__malloc'):
            continue
        # DEFINE_PER_CPU(type, name) and friends define their last argument.
        if name.isupper() or name.startswith('DEFINE_') or name.startswith('DECLARE_'):
            inner = code[code.find('(', code.find(name)) + 1:]
            args = IDENT.findall(inner.split(')')[0])
            if args:
                names.add(args[-1])
        names.add(name)
        return names
    head = re.split(r'[=;]', top)[0]
    ids = [i for i in IDENT.findall(head) if i not in KEYWORDS]
    # A trailing attribute (__read_mostly, __initdata) is not the name.
    named = [i for i in ids if not re.match(r'__[a-z_]+$', i)] or ids
    if named:
        names.add(named[-1])
    return names


def items(text):
    """Split a file into (kind, text, code) items: kind 'pp' or 'c'."""
    state = {'comment': False}
    result, cur, cur_code, depth = [], [], [], 0

    def flush():
        nonlocal cur, cur_code
        if cur:
            result.append(('c', '\n'.join(cur), '\n'.join(cur_code)))
        cur, cur_code = [], []

    pp_open = None	# a directive whose comment runs on to later lines
    for line in logical_lines(text):
        in_comment = state['comment']
        code = strip_code(line, state)
        if pp_open is not None:
            pp_open[0] += '\n' + line
            if not state['comment']:
                result.append(('pp', pp_open[0], pp_open[1]))
                pp_open = None
            continue
        if not in_comment and depth == 0 and code.lstrip().startswith('#'):
            # A directive after an item that did not end in ';' or '}' (a
            # macro invocation such as PAGEFLAG(...)): a conditional ends
            # that item, anything else stays part of it.
            conditional = re.match(r'\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b', code)
            if any(c.strip() for c in cur_code) and not conditional:
                cur.append(line)
                cur_code.append(code)
                continue
            flush()
            if state['comment']:
                pp_open = [line, code]
            else:
                result.append(('pp', line, code))
            continue
        cur.append(line)
        cur_code.append(code)
        if code.lstrip().startswith('#'):
            continue
        for c in code:
            if c in '({[':
                depth += 1
            elif c in ')}]':
                depth -= 1
        stripped = code.rstrip()
        if depth == 0 and stripped:
            body = ' '.join(''.join(cur_code).split())
            if stripped.endswith(';'):
                flush()
            elif stripped.endswith('}'):
                before = body[:body.find('{')] if '{' in body else body
                is_func = ('(' in before and '=' not in before and
                           not re.match(r'(typedef\s+)?(struct|union|enum)\b[^(]*\{', body))
                if is_func:
                    flush()
            elif not any(k in body for k in ('{', '(', '=')) and stripped.endswith(')'):
                pass
    flush()
    return result


def main(argv):
    if len(argv) < 3 or argv[2] not in ('--only', '--except'):
        sys.stderr.write(__doc__)
        return 2
    path, mode = argv[1], argv[2]
    names, drop_macros = [], set()
    keep_includes = False
    args = argv[3:]
    while args:
        a = args.pop(0)
        if a == '--keep-includes':
            keep_includes = True
            continue
        if a.startswith('@'):
            with open(a[1:]) as f:
                for line in f:
                    line = line.split('#')[0].strip()
                    if line:
                        names.append(line)
            continue
        if a == '--drop-macro':
            drop_macros.add(args.pop(0))
        else:
            names.append(a)
    wanted = set(names)
    with open(path) as f:
        text = f.read()
    found = set()
    out = ['/* extracted from %s (%s %s) */' % (path, mode, ' '.join(names))]
    for kind, line, code in items(text):
        if kind == 'pp':
            directive = code.strip()[1:].strip()
            word = IDENT.match(directive)
            word = word.group(0) if word else ''
            if word == 'include' and not keep_includes:
                continue
            if word == 'define':
                n = item_names(code.strip())
                found |= n & wanted
                if n & drop_macros:
                    continue
                if mode == '--except' and n & wanted:
                    continue
            out.append(line)
            continue
        n = item_names(code)
        hit = n & wanted
        found |= hit
        if (mode == '--only') == bool(hit):
            out.append(line)
    missing = wanted - found
    if missing:
        sys.stderr.write('extract.py: %s: not found: %s\n' % (path, ' '.join(sorted(missing))))
        return 1
    sys.stdout.write('\n'.join(out) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
