#!/usr/bin/env python3
"""Line agreement with strace 6.1 on strace's own test programs (how issue 15 is checked).

strace's tests/ directory holds one C program per decoder: each makes the calls of one family
with ordinary, odd and invalid arguments. This script builds them from Debian's strace 6.1 source
package (once, into a cache folder), runs every program whose test uses only options that
Start-TracedProcess has (-a, -s, -e trace=, -P, -y, -f, -z, -Z, -e signal=, -X, -v, -x, -xx) under
`strace -f -y <the test's options>` and under the built module with the same selection, and
reports per program and in all the fraction of strace's call lines that the module prints
identically after masking what differs between any two runs (decode-agreement.py's mask).

    python3 tools/decode-agreement/strace-tests.py [--source DIR] [-v] [-k] [name-regex ...]

--source is a built strace-6.1 tree (default ~/.cache/pssyscall/strace-6.1; made when missing:
apt-get source needs a deb-src line, which the script adds). -v prints each differing line,
-k keeps the work folder. Not a timed test: run it by hand.
"""
import json, os, re, shlex, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import importlib
agreement = importlib.import_module('decode-agreement')

CACHE = os.path.expanduser('~/.cache/pssyscall')


def build_source(target):
    """apt-get source strace (6.1 on bookworm), configure, and build the test programs only."""
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    subprocess.run(['bash', os.path.join(HERE, '..', 'add-deb-src.sh')], check=True)
    subprocess.run(['apt-get', 'source', '--download-only', 'strace=6.1-0.1'], cwd=parent, check=True)
    subprocess.run(['tar', 'xf', 'strace_6.1.orig.tar.xz'], cwd=parent, check=True)
    subprocess.run(['./configure', '--enable-mpers=no', '--disable-gcc-Werror'], cwd=target, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(['make', f'-j{os.cpu_count()}', '-C', 'tests', 'check', 'TESTS='], cwd=target, check=True,
                   stdout=subprocess.DEVNULL)


# Options that select or shape the output in ways Start-TracedProcess can follow (-X as
# -ConstantStyle, -v as -Unabbreviated, -x/-xx as -HexString); any other option (--secontext,
# inject, -e verbose=, -e abbrev=, -T...) leaves the test out.
def translate(options):
    """(strace arguments, Start-TracedProcess parameters) for a test's option string, or None."""
    try:
        words = shlex.split(options)
    except ValueError:
        return None
    strace_args, ours = [], {'Name': [], 'Class': [], 'ExcludeName': [], 'Path': []}
    i = 0
    while i < len(words):
        w = words[i]
        value = None
        if re.fullmatch(r'-a\d+', w) or w in ('-f', '-y', '-qq', '-q'):
            strace_args.append(w)
        elif w in ('-Xabbrev', '--const-print-style=abbrev'):
            pass  # the default form
        elif w in ('-Xraw', '-Xverbose', '--const-print-style=raw', '--const-print-style=verbose') or (w == '-X' and i + 1 < len(words)):
            style = words[i + 1] if w == '-X' else w[2:] if w.startswith('-X') else w.split('=', 1)[1]
            if w == '-X':
                i += 1
            if style not in ('raw', 'verbose', 'abbrev'):
                return None
            strace_args.append('-X' + style)
            if style != 'abbrev':
                ours['ConstantStyle'] = style.capitalize()
        elif w in ('-v', '--no-abbrev'):
            strace_args.append('-v')
            ours['Unabbreviated'] = True
        elif w in ('-x', '-xx', '--strings-in-hex', '--strings-in-hex=all', '--strings-in-hex=non-ascii'):
            strace_args.append(w)
            ours['HexString'] = 'All' if w in ('-xx', '--strings-in-hex', '--strings-in-hex=all') else 'NonAscii'
        elif w == '-a' or w == '-s':
            i += 1
            strace_args += [w, words[i]]
            if w == '-s':
                ours['StringLimit'] = int(words[i])
        elif re.fullmatch(r'-s\d+', w):
            strace_args.append(w)
            ours['StringLimit'] = int(w[2:])
        elif w in ('-z', '--successful-only'):
            strace_args.append(w)
            ours['Successful'] = True
        elif w in ('-Z', '--failed-only'):
            strace_args.append(w)
            ours['Failed'] = True
        elif w in ('-P', '--trace-path') or w.startswith('--trace-path='):
            if '=' in w:
                value = w.split('=', 1)[1]
            else:
                i += 1
                value = words[i]
            strace_args += ['-P', value]
            ours['Path'].append(value)
        elif w in ('-e', '--trace') or w.startswith(('-e', '--trace=')):
            if w == '-e':
                i += 1
                expr = words[i]
            elif w.startswith('--trace='):
                expr = 'trace=' + w.split('=', 1)[1]
            else:
                expr = w[2:]
            key, _, val = expr.partition('=')
            if not _:
                key, val = 'trace', expr
            if key in ('signal', 'signals', 's', 'quiet', 'q'):
                strace_args += ['-e', expr]
            elif key in ('trace', 't'):
                if not selection(val, ours):
                    return None
                strace_args += ['-e', 'trace=' + val]
            else:
                return None
        else:
            return None
        i += 1
    if '-y' not in strace_args:
        strace_args.append('-y')  # the module always names descriptors
    return strace_args, {k: v for k, v in ours.items() if v not in ([], None)}


def selection(expr, ours):
    """Start-TracedProcess's -Name/-Class/-ExcludeName for a trace= expression; False if none fits."""
    negate = expr.startswith('!')
    for item in expr.lstrip('!').split(','):
        if item.startswith('/') or item in ('all', 'none', '%%stat'):
            return False
        if item.startswith('%') or item in ('file', 'process', 'network', 'signal', 'ipc', 'desc', 'memory'):
            if negate:
                return False
            ours['Class'].append(item.lstrip('%'))
        elif item.startswith('?'):
            (ours['ExcludeName'] if negate else ours['Name']).append(item[1:])
        else:
            (ours['ExcludeName'] if negate else ours['Name']).append(item)
    return True


# Programs that call in a loop until their CPU time reaches a mark (tests/time_enjoyment.h): how
# many lines they make depends on the tracer's speed (50,000 to 290,000 under strace alone), so
# their lines would outweigh every other program's in the total.
SPEED_BOUND = {'times', 'siginfo'}


# What the wrapper scripts of tests/ (ioctl.test, ipc.sh, prctl.sh, getuid.test) run strace with,
# besides the test's own options. netlink_sock_diag.test runs another program: left out.
SCRIPT_SELECTION = {
    '+ioctl.test': '-e trace=ioctl',
    '+ipc.sh': '-e trace=%ipc',
    '+prctl.sh': '-e trace=prctl',
    '+getuid.test': '-qq -e trace=NAME',
}


def tests(source):
    with open(os.path.join(source, 'tests', 'gen_tests.in')) as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            name, _, options = line.rstrip('\n').partition('\t')
            options = options.strip()
            # The common wrapper scripts only add a trace selection to the test's options.
            script, _, rest = options.partition(' ')
            if script in SCRIPT_SELECTION:
                options = SCRIPT_SELECTION[script].replace('NAME', name.strip()) + ' ' + rest
            elif options.startswith('+') or options.startswith('test_') or options.startswith('<'):
                continue
            yield name.strip(), options


def main():
    argv = sys.argv[1:]
    verbose, keep = '-v' in argv, '-k' in argv
    source = os.path.join(CACHE, 'strace-6.1')
    if '--source' in argv:
        source = argv[argv.index('--source') + 1]
    patterns = [a for i, a in enumerate(argv) if not a.startswith('-') and (i == 0 or argv[i - 1] not in ('--source', '--reuse'))]
    if '--reuse' in argv:
        # Compare the traces of an earlier run (-k) again, after a change to the comparison.
        work = argv[argv.index('--reuse') + 1]
        report(json.load(open(os.path.join(work, 'jobs.json'))), verbose)
        return
    if not os.path.exists(os.path.join(source, 'tests', 'gen_tests.in')):
        build_source(source)
    work = tempfile.mkdtemp(prefix='strace-tests-')
    jobs = []
    for name, options in tests(source):
        if patterns and not any(re.search(p, name) for p in patterns):
            continue
        exe = os.path.join(source, 'tests', name)
        if not os.access(exe, os.X_OK):
            continue
        t = translate(options)
        if t is None:
            continue
        strace_args, ours = t
        d = os.path.join(work, name)
        os.makedirs(d)
        jobs.append({'name': name, 'program': exe, 'dir': d, 'strace': strace_args, 'params': ours})
    env = {'PATH': '/usr/bin:/bin', 'HOME': work, 'LANG': 'C'}
    # The program's stdout and stderr are /dev/null opened for writing only under both tracers, as
    # -RedirectStandardOutput opens it (readahead on fd 1 fails EBADF then, EINVAL on O_RDWR).
    null_out = open(os.devnull, 'w')
    for j in jobs:
        try:
            subprocess.run(['strace', '-f'] + j['strace'] + ['-o', os.path.join(j['dir'], 'strace.txt'), '--', j['program']],
                           cwd=j['dir'], env=env, stdin=subprocess.DEVNULL, stdout=null_out,
                           stderr=null_out, timeout=60)
        except subprocess.TimeoutExpired:
            pass
    with open(os.path.join(work, 'jobs.json'), 'w') as f:
        json.dump(jobs, f)
    subprocess.run(['dotnet', 'pwsh', '-NoProfile', '-File', os.path.join(HERE, 'run-strace-tests.ps1'),
                    '-Module', agreement.MODULE, '-Jobs', os.path.join(work, 'jobs.json')],
                   cwd=agreement.ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    report(jobs, verbose)
    if keep:
        print('work folder:', work)
    else:
        shutil.rmtree(work, ignore_errors=True)


def report(jobs, verbose):
    grand_total = grand_agreed = full = 0
    rows = []
    for j in jobs:
        def read(file):
            p = os.path.join(j['dir'], file)
            return agreement.parse(open(p, errors='replace')) if os.path.exists(p) else []
        s, o = read('strace.txt'), read('ours.txt')
        # A program that loops until the clock moves (times) makes as many calls as the tracer's
        # speed allows: align the first lines only, or the alignment takes hours.
        o = o[:2 * len(s) + 100]
        total, agreed = agreement.compare(s, o, verbose, j['name'])
        if total == 0:
            continue
        rows.append((agreed / total, j['name'], agreed, total))
        full += agreed == total
        if j['name'] in SPEED_BOUND:
            continue
        grand_total += total
        grand_agreed += agreed
    for ratio, name, agreed, total in sorted(rows):
        print(f'{name:<40} {agreed:>6}/{total:<6} {100.0 * ratio:5.1f}%')
    print(f'(lines leave out {", ".join(sorted(SPEED_BOUND))}: they call until their CPU clock moves, so their count is the tracer\'s speed)')
    print(f'{"all (" + str(len(rows)) + " programs, " + str(full) + " fully)":<40} {grand_agreed:>6}/{grand_total:<6} '
          f'{100.0 * grand_agreed / max(grand_total, 1):5.1f}%')
    # Lines weigh each program by how many calls it makes, and a few make most of them (times
    # loops until its CPU clock moves, as many calls as the tracer's speed allows): the mean of
    # the programs' own figures is the other half of the picture.
    print(f'{"mean of the programs":<40} {"":>13} {100.0 * sum(r[0] for r in rows) / max(len(rows), 1):5.1f}%')


if __name__ == '__main__':
    main()
