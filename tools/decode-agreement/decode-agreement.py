#!/usr/bin/env python3
"""Line agreement between strace 6.1 and PSSyscall's decoder (issue 15's measure).

Compiles C programs (by default tests/PSSyscall.Engine.Tests/Workloads/*.c), runs each under
`strace -f -y -s 64` and under the built module's Start-TracedProcess -StringLimit 64, and
reports the fraction of strace's call lines that the engine prints identically, after masking
what differs between any two runs (addresses, ids, inode numbers, times). Calls are matched per
thread by aligning their names. Not a timed test: run it by hand.

    python3 tools/decode-agreement/decode-agreement.py [-v] [program.c ...]
    python3 tools/decode-agreement/decode-agreement.py -m32 [-v] [program.c ...]   # i386 programs
                                     (by default tests/PSSyscall.Engine.Tests/Workloads32/*.c)
"""
import difflib, os, re, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
WORKLOADS = os.path.join(ROOT, 'tests', 'PSSyscall.Engine.Tests', 'Workloads')
MODULE = os.environ.get('PSSYSCALL_MODULE') or os.path.join(ROOT, 'output', 'PSSyscall', '0.1.0', 'PSSyscall.psd1')
SKIP = {'cleanexec.c', 'foreignabi.c'}  # a launcher helper; an i386 program built differently
# Programs that take arguments (the sockets workload listens on a port of its own).
PORT = 20000 + os.getpid() % 10000
ARGS = {'sockets': [str(PORT)]}
LINE = re.compile(r'^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+= (.*?)(?: <[0-9.]+>)?$')


def mask(text, pids):
    text = re.sub(r'0x[0-9a-f]{6,}', '0xADDR', text)
    text = re.sub(r'(socket|pipe|anon_inode:\[?\w*\]?|inotify):\[\d+\]', r'\1:[N]', text)
    text = re.sub(r'\b(tv_sec|tv_nsec|tv_usec|ru_\w+|tms_\w+|uptime|freeram|bufferram|freehigh|totalhigh|sharedram|procs|si_utime|si_stime|shm_atime|shm_ctime|shm_dtime|msg_stime|msg_rtime|msg_ctime|sem_otime|sem_ctime)=\d+', r'\1=N', text)
    text = re.sub(r'loads=\[[0-9, ]+\]', 'loads=N', text)
    text = re.sub(r' /\* \d{4}-\d\d-\d\dT[0-9:.+]+ \*/', ' /* TIME */', text)
    # SysV IPC identifiers differ between runs: the id argument and the result of the *get calls.
    text = re.sub(r'^((?:shm|msg|sem)\w*)\((?:\d+|0x[0-9a-f]+), ', r'\1(ID, ', text)
    text = re.sub(r'^((?:shm|msg|sem)get\(.*\) = )\d+$', r'\1ID', text)
    text = re.sub(r'/\* \d+ vars \*/', '/* N vars */', text)
    text = re.sub(r'/dev/pts/\d+', '/dev/pts/N', text)
    text = re.sub(r'/#\d+>', '/#INODE>', text)  # O_TMPFILE files are named by inode
    # Ports: ephemeral ones differ, and the two runs listen on ports of their own (a port the
    # first run used may still be in TIME_WAIT for the second).
    text = re.sub(r'htons\(\d+\)', 'htons(PORT)', text)
    text = re.sub(r'\b(%s|%s)\b' % (PORT, PORT + 1), 'PORT', text)
    text = re.sub(r'TIOCGPTN, \[\d+\]', 'TIOCGPTN, [N]', text)
    text = re.sub(r'^getcpu\(\[\d+\]', 'getcpu([N]', text)
    text = re.sub(r'^time\((.*)\) = \d+ \([0-9T:+-]+\)$', r'time(\1) = N (DATE)', text)
    text = re.sub(r'\b(maxerror|esterror|freq|offset)=\d+', r'\1=N', text)
    text = re.sub(r'^((?:add_key|keyctl|request_key)\(.*)', lambda m: re.sub(r'\b\d{6,}\b', 'KEY', m.group(1)), text)
    text = re.sub(r'^getrandom\("[^"]*"', 'getrandom("RANDOM"', text)
    text = re.sub(r'^((?:getppid|times)\(.*\) = )\d+$', r'\1N', text)
    # /proc/PID/status names the tracer's id (TracerPid), whose digits differ between tracers.
    text = re.sub(r'^(read\(\d+</proc/[^>]*/status>, .*\) = )\d+$', r'\1N', text)
    # Free space and inodes change while the tests run.
    text = re.sub(r'\b(f_bfree|f_bavail|f_ffree)=\d+', r'\1=N', text)
    masked = text
    for pid in sorted(pids, key=lambda p: -len(p)):
        masked = re.sub(r'\b' + pid + r'\b', 'PID', masked)
    if masked != text:
        # A program that writes its own id: the length of what it wrote differs with the digits.
        # And what was cut at the string limit shifts with them.
        masked = re.sub(r'^(write\(\d+(?:<[^>]*>)?, )".*"(\.\.\.)?, \d+\) = \d+$', r'\1"TEXT", N) = N', masked)
    return masked


def parse(lines):
    """(tid, name, text) for each complete call line."""
    calls, pending = [], {}
    for line in lines:
        line = line.rstrip('\n')
        # strace splits a call that another thread interrupted: join the halves.
        u = re.match(r'^(\d+)\s+(.*) <unfinished \.\.\.>$', line)
        if u:
            pending[u.group(1)] = u.group(2)
            continue
        r = re.match(r'^(\d+)\s+<\.\.\. \w+ resumed>(.*)$', line)
        if r:
            if r.group(1) not in pending:
                continue
            line = r.group(1) + ' ' + pending.pop(r.group(1)) + r.group(2)
        m = LINE.match(line)
        if m:
            calls.append((m.group(1), m.group(2), f'{m.group(2)}({m.group(3)}) = {m.group(4)}'))
    return calls


def by_thread(calls):
    order, groups = [], {}
    for tid, name, text in calls:
        if tid not in groups:
            order.append(tid)
            groups[tid] = []
        groups[tid].append((name, text))
        c = re.match(r'^(?:clone|clone3|fork|vfork)\(.*\) = (\d+)', text)
        if c:
            order.append(c.group(1)) if c.group(1) not in groups and c.group(1) not in order else None
    return [groups[t] for t in order if t in groups], set(order)


def after_startup(calls):
    """The calls after the C library's start-up (loader, libc mapping, rseq, the munmap of
    ld.so.cache that ends it): the program's own lines, which the loader's ~40 do not dilute."""
    names = [n for _, n, _ in calls]
    if 'rseq' in names:
        r = names.index('rseq')
        if 'munmap' in names[r:]:
            return calls[names.index('munmap', r) + 1:]
    return calls


def aligned(x, y):
    """Index pairs of equal names in the two call sequences. The common head and tail are
    paired directly: difflib alone is quadratic in a run of one name (a loop of times calls)."""
    head = 0
    while head < len(x) and head < len(y) and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < len(x) - head and tail < len(y) - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    pairs = [(k, k) for k in range(head)]
    sm = difflib.SequenceMatcher(None, x[head:len(x) - tail], y[head:len(y) - tail], autojunk=False)
    for block in sm.get_matching_blocks():
        pairs += [(head + block.a + j, head + block.b + j) for j in range(block.size)]
    pairs += [(len(x) - tail + k, len(y) - tail + k) for k in range(tail)]
    return pairs


def compare(strace_calls, our_calls, verbose, label, program_only=False):
    if program_only:
        strace_calls, our_calls = after_startup(strace_calls), after_startup(our_calls)
    s_threads, s_pids = by_thread(strace_calls)
    o_threads, o_pids = by_thread(our_calls)
    # Mask each line once: the pairing below compares every thread with every other.
    s_masked = [[mask(t, s_pids) for _, t in s] for s in s_threads]
    o_masked = [[mask(t, o_pids) for _, t in o] for o in o_threads]
    total = agreed = 0
    # Threads run in any order: pair each strace thread with the unpaired one of ours whose
    # first masked lines are most alike (a single thread each needs no pairing).
    unpaired = list(range(len(o_threads)))
    for si, s in enumerate(s_threads):
        best, best_ratio = None, -1.0
        for k in unpaired:
            if len(s_threads) == 1 and len(unpaired) == 1:
                best = k
                break
            ratio = difflib.SequenceMatcher(None, s_masked[si][:500], o_masked[k][:500], autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
        o, om = [], []
        if best is not None:
            unpaired.remove(best)
            o, om = o_threads[best], o_masked[best]
        total += len(s)
        for a, b in aligned([n for n, _ in s], [n for n, _ in o]):
            st = s_masked[si][a]
            ot = om[b]
            if st == ot:
                agreed += 1
            elif verbose:
                print(f'  {label}\n    strace: {st}\n    ours:   {ot}')
    return total, agreed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('-')]
    verbose = '-v' in sys.argv
    m32 = '-m32' in sys.argv
    folder = WORKLOADS + '32' if m32 else WORKLOADS
    sources = args or sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith('.c') and f not in SKIP)
    work = tempfile.mkdtemp(prefix='decode-agreement-')
    programs = []
    for src in sources:
        exe = os.path.join(work, os.path.basename(src)[:-2])
        subprocess.run(['gcc'] + (['-m32'] if m32 else []) + ['-O1', '-w', '-pthread', '-o', exe, src, '-lrt'], check=True)
        programs.append(exe)
    env = {'PATH': '/usr/bin:/bin', 'HOME': work, 'LANG': 'C'}
    for exe in programs:
        subprocess.run(['strace', '-f', '-y', '-s', '64', '-o', exe + '.strace', '--', exe] + ARGS.get(os.path.basename(exe), []),
                       cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'run-engine.ps1')
    subprocess.run(['dotnet', 'pwsh', '-NoProfile', '-File', runner, '-Module', MODULE, '-Program', ','.join(programs),
                    '-Arguments', str(PORT + 1)],
                   cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    grand = [0, 0, 0, 0]
    print(f'{"program":<14} {"all lines":>17}   {"after start-up":>17}')
    for exe in programs:
        with open(exe + '.strace') as f:
            s = parse(f)
        with open(exe + '.ours') as f:
            o = parse(f)
        total, agreed = compare(s, o, verbose, os.path.basename(exe))
        ptotal, pagreed = compare(s, o, False, os.path.basename(exe), program_only=True)
        for k, v in enumerate((agreed, total, pagreed, ptotal)):
            grand[k] += v
        print(f'{os.path.basename(exe):<14} {agreed:>5}/{total:<5} {100.0 * agreed / max(total, 1):5.1f}%   {pagreed:>5}/{ptotal:<5} {100.0 * pagreed / max(ptotal, 1):5.1f}%')
    a, t, pa, pt = grand
    print(f'{"all":<14} {a:>5}/{t:<5} {100.0 * a / max(t, 1):5.1f}%   {pa:>5}/{pt:<5} {100.0 * pa / max(pt, 1):5.1f}%')


if __name__ == '__main__':
    main()
