using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// The decoding oracle: each workload runs under `strace -f -y -s 64` and under the engine with
/// StringLimit 64, with the same environment, directory and standard streams. Threads are matched
/// by lineage (the n-th child of the m-th child of the root), calls within a thread by a name
/// alignment, and then every call the engine decodes must show the same arguments and result
/// text as strace. Values that differ between any two runs are normalised on both sides: hex
/// numbers (pointers), process ids (by lineage), pipe/socket inode numbers, ephemeral ports,
/// getrandom's bytes, futex results (they depend on thread timing), the figures of sysinfo,
/// getrusage and times (only their fields are compared), and pseudo-terminal numbers.
/// </summary>
public sealed partial class DecodingOracleTests : IClassFixture<WorkloadFixture>
{
    private readonly WorkloadFixture _w;
    private readonly ITestOutputHelper _out;

    public DecodingOracleTests(WorkloadFixture workloads, ITestOutputHelper output)
    {
        _w = workloads;
        _out = output;
    }

    public static TheoryData<string> Workloads => new()
    {
        "fileio", "sockets", "signals", "memory", "threads", "execmissing", "pollfds", "misc",
        "pipeline", "redirect", "ls", "cat", "timers", "ctypes", "filemeta", "sigwait", "procattrs", "ipc", "outputrules", "kernelapi", "sysmisc", "ioctls",
    };

    /// <summary>Calls a workload exists to cover: each must be among the compared calls, so a
    /// decoder that stopped being exercised (or a call that stopped being decoded) fails the test.</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["pollfds"] = new[] { "poll", "ppoll", "select", "pselect6", "epoll_wait" },
        ["sockets"] = new[] { "getsockopt", "setsockopt", "sendmsg", "recvmsg" },
        ["ctypes"] = new[] { "faccessat2", "mkdir", "umask", "chown", "fchown", "close_range", "getrlimit", "setresgid", "lseek" },
        ["filemeta"] = new[]
        {
            "utimes", "futimesat", "utimensat", "listxattr", "llistxattr", "flistxattr", "inotify_init1", "inotify_add_watch",
            "inotify_rm_watch", "pwritev2", "preadv2", "fallocate", "sync_file_range", "mknodat",
        },
        ["sigwait"] = new[] { "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo", "sigaltstack" },
        ["outputrules"] = new[] { "write", "fcntl", "clone3", "prctl", "statfs", "fstatfs", "accept", "getsockname", "sendmsg", "setsockopt" },
        ["ioctls"] = new[] { "ioctl" },
        ["kernelapi"] = new[]
        {
            "add_key", "keyctl", "request_key", "fanotify_init", "fanotify_mark", "fsopen", "fsconfig", "fsmount", "fspick",
            "open_tree", "mount_setattr", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
            "get_robust_list", "epoll_pwait", "epoll_pwait2", "utime", "swapon", "delete_module", "memfd_secret", "ptrace",
            "sethostname", "reboot", "ustat", "io_getevents", "perf_event_open", "bpf", "io_uring_register", "io_pgetevents",
            "remap_file_pages", "kexec_load", "quotactl", "quotactl_fd",
        },
        ["sysmisc"] = new[]
        {
            "sched_getattr", "sched_setattr", "get_mempolicy", "mincore", "mlock2", "ioprio_get", "ioprio_set", "capget",
            "signalfd4", "splice", "tee", "vmsplice", "copy_file_range", "adjtimex", "clock_adjtime", "syslog", "io_setup",
            "openat2", "seccomp", "membarrier", "sendmmsg", "recvmmsg",
        },
        ["procattrs"] = new[]
        {
            "getresuid", "getresgid", "getgroups", "setgroups", "sched_getaffinity", "sched_setaffinity", "sched_getattr",
            "sched_getscheduler", "sched_getparam", "sched_setscheduler", "getpriority", "mlockall", "personality", "waitid",
            "get_mempolicy", "set_mempolicy", "settimeofday", "kcmp", "pkey_alloc",
        },
        ["ipc"] = new[]
        {
            "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semctl", "mq_open",
            "mq_timedsend", "mq_timedreceive", "mq_getsetattr", "mq_unlink", "process_vm_readv", "pidfd_open", "pidfd_getfd",
            "userfaultfd",
        },
        ["timers"] = new[]
        {
            "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "timerfd_create",
            "timerfd_settime", "timerfd_gettime", "setitimer", "getitimer", "clock_getres", "clock_gettime",
            "clock_nanosleep", "sysinfo", "getrusage", "times", "ioctl",
        },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void DecodedCallsEqualStrace(string workload) => CompareWithStrace(workload, "", default);

    /// <summary>The workload under strace with <paramref name="straceOptions"/> (-X verbose, -v, -x...)
    /// and under the engine with the matching <paramref name="forms"/>: every decoded call alike.</summary>
    private void CompareWithStrace(string workload, string straceOptions, PSSyscall.Engine.Decoding.DecodeOptions forms)
    {
        (string file, string[] args) = _w.Command(workload);
        List<StraceCall> strace = RunStrace(_w.Directory, file, args, straceOptions);
        List<SyscallEvent> ours = RunEngine(_w.Launch(file, args), forms);
        int compared = CompareWithStrace(workload, strace, ours, _out, out HashSet<string> comparedNames, out List<string> problems, out int agreed);
        Assert.True(compared >= 10, $"{workload}: only {compared} calls compared");
        Assert.Empty(Required.GetValueOrDefault(workload, Array.Empty<string>()).Except(comparedNames));
        Assert.Empty(problems);
        Assert.Equal(compared, agreed);
    }

    /// <summary>Pairs the two traces' calls (threads by lineage, calls by name) and compares the
    /// text of every call the engine decodes, after normalising what differs between runs. Returns
    /// the number compared; writes the figure and the first differences to <paramref name="output"/>.</summary>
    internal static int CompareWithStrace(string workload, List<StraceCall> strace, List<SyscallEvent> ours, ITestOutputHelper output,
        out HashSet<string> comparedNames, out List<string> problems, out int agreed)
    {
        Dictionary<int, string> straceThreads = Lineage(strace.Select(c => (c.ThreadId, c.Name, c.Result)).ToList());
        Dictionary<int, string> ourThreads = Lineage(ours.Select(e => (e.ThreadId, e.Name, e.Result)).ToList());

        int compared = 0, unmatched = 0;
        agreed = 0;
        comparedNames = new HashSet<string>(StringComparer.Ordinal);
        problems = new List<string>();
        var byThreadStrace = strace.GroupBy(c => straceThreads.GetValueOrDefault(c.ThreadId, "?" + c.ThreadId)).ToDictionary(g => g.Key, g => g.ToList());
        var byThreadOurs = ours.GroupBy(e => ourThreads.GetValueOrDefault(e.ThreadId, "?" + e.ThreadId)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (string thread in byThreadStrace.Keys.Union(byThreadOurs.Keys).Order())
        {
            List<StraceCall> s = byThreadStrace.GetValueOrDefault(thread) ?? new();
            List<SyscallEvent> o = byThreadOurs.GetValueOrDefault(thread) ?? new();
            foreach (var (si, oi) in Align(s.Select(c => AlignKey(c.Name, c.Arguments)).ToList(), o.Select(e => AlignKey(e.Name, e.Arguments)).ToList(), out int missed))
            {
                StraceCall sc = s[si];
                SyscallEvent oe = o[oi];
                SyscallSignature sig = SyscallTable.For(oe.Architecture).GetSignature(oe.Number);
                if (!sig.IsDecoded)
                    continue;
                compared++;
                comparedNames.Add(oe.Name);
                string expectArgs = Normalize(sc.Arguments, straceThreads, sc.Name);
                string actualArgs = Normalize(oe.Arguments, ourThreads, oe.Name);
                string expectResult = NormalizeResult(sc.Result, straceThreads, sc.Name);
                string actualResult = NormalizeResult(oe.Result, ourThreads, oe.Name);
                bool argsEqual = sc.Result == "?" || oe.Unfinished
                    ? actualArgs.StartsWith(expectArgs.TrimEnd(' ', ','), StringComparison.Ordinal)
                    : expectArgs == actualArgs;
                if (argsEqual && expectResult == actualResult)
                {
                    agreed++;
                }
                else if (problems.Count < 25)
                {
                    problems.Add($"[{thread}] strace: {sc.Name}({sc.Arguments}) = {sc.Result}\n{"",-8}ours:   {oe.Name}({oe.Arguments}) = {oe.Result}");
                }
            }
            unmatched += Math.Abs(s.Count - o.Count);
        }
        double rate = compared == 0 ? 0 : 100.0 * agreed / compared;
        output.WriteLine($"{workload}: {agreed}/{compared} decoded calls agree with strace ({rate:0.0}%); strace {strace.Count} calls, ours {ours.Count}, {unmatched} without a partner");
        foreach (string p in problems)
            output.WriteLine("  " + p);
        if (problems.Count > 0)
        {
            output.WriteLine("  strace threads: " + string.Join(", ", straceThreads.Select(kv => $"{kv.Key}={kv.Value}")));
            output.WriteLine("  our threads:    " + string.Join(", ", ourThreads.Select(kv => $"{kv.Key}={kv.Value}")));
        }
        return compared;
    }

    // ---- running ----
    /// <summary>strace -f -y -s 64 over a program run in <paramref name="directory"/> (which holds
    /// the compiled cleanexec launcher).</summary>
    internal static List<StraceCall> RunStrace(string directory, string file, string[] args, string straceOptions = "")
    {
        string log = Path.Combine(directory, $"strace-{Guid.NewGuid():N}.log");
        var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory };
        // Same start as the engine's launcher: clean environment, no inherited descriptors, SIGPIPE default.
        var cmd = new StringBuilder("exec env -i");
        foreach (var (k, v) in WorkloadFixture.Environment)
            cmd.Append(' ').Append(Shell(k + "=" + v));
        cmd.Append(' ').Append(Shell(Path.Combine(directory, "cleanexec")));
        cmd.Append(" strace -f -y -s 64 ").Append(straceOptions).Append(" -o ").Append(Shell(log)).Append(" -- ").Append(Shell(file));
        foreach (string a in args)
            cmd.Append(' ').Append(Shell(a));
        cmd.Append(" </dev/null >/dev/null 2>/dev/null");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(cmd.ToString());
        using (var p = Process.Start(psi)!)
            p.WaitForExit();
        try
        {
            return StraceLog.Parse(log);
        }
        finally
        {
            File.Delete(log);
        }
    }

    internal static List<SyscallEvent> RunEngine(LaunchOptions launch, PSSyscall.Engine.Decoding.DecodeOptions forms = default)
    {
        using var session = TraceSession.Start(new PSSyscall.Engine.Tracing.TraceOptions { StringLimit = 64, Launch = launch, Decode = forms });
        return session.ReadEvents().OfType<SyscallEvent>().ToList();
    }

    private static string Shell(string s) => "'" + s.Replace("'", "'\\''") + "'";

    // ---- matching ----
    /// <summary>Names each thread by its lineage: "0" the root, "0.2" its second child, ...</summary>
    internal static Dictionary<int, string> Lineage(List<(int Tid, string Name, string Result)> calls)
    {
        var names = new Dictionary<int, string>();
        if (calls.Count == 0)
            return names;
        var children = new Dictionary<int, List<int>>();
        foreach (var (tid, name, result) in calls)
        {
            if (name is "clone" or "clone3" or "fork" or "vfork" && int.TryParse(result.Split(' ', '<')[0], out int child) && child > 0)
            {
                if (!children.TryGetValue(tid, out var list))
                    children[tid] = list = new List<int>();
                list.Add(child);
            }
        }
        void Assign(int tid, string label)
        {
            if (!names.TryAdd(tid, label))
                return;
            if (children.TryGetValue(tid, out var kids))
                for (int i = 0; i < kids.Count; i++)
                    Assign(kids[i], label + "." + (i + 1));
        }
        Assign(calls[0].Tid, "0");
        return names;
    }

    /// <summary>Pairs calls with equal names in order (longest common subsequence).</summary>
    internal static List<(int, int)> Align(List<string> a, List<string> b, out int missed)
    {
        var l = new int[a.Count + 1, b.Count + 1];
        for (int i = a.Count - 1; i >= 0; i--)
            for (int j = b.Count - 1; j >= 0; j--)
                l[i, j] = a[i] == b[j] ? l[i + 1, j + 1] + 1 : Math.Max(l[i + 1, j], l[i, j + 1]);
        var pairs = new List<(int, int)>();
        int x = 0, y = 0;
        while (x < a.Count && y < b.Count)
        {
            if (a[x] == b[y]) { pairs.Add((x, y)); x++; y++; }
            else if (l[x + 1, y] >= l[x, y + 1]) x++;
            else y++;
        }
        missed = a.Count + b.Count - 2 * pairs.Count;
        return pairs;
    }

    /// <summary>What calls are paired by. A shell's wait4 options depend on when its children
    /// exit (blocking, or WNOHANG after a SIGCHLD), so wait4 pairs only with the same options.</summary>
    internal static string AlignKey(string name, string args)
    {
        if (name != "wait4")
            return name;
        string[] parts = args.Split(", ");
        return parts.Length > 2 ? name + ":" + parts[2] : name; // pid, status, options (a rusage has commas of its own)
    }

    // ---- normalising what differs between any two runs ----
    [GeneratedRegex(@"[0-9a-f]{8,}-[0-9a-f]{8,}")]
    private static partial Regex MapsLine(); // /proc/PID/maps text read by a workload: addresses

    [GeneratedRegex(@"0x[0-9a-f]+")]
    private static partial Regex HexNumber();

    [GeneratedRegex(@"(pipe|socket|anon_inode|net):\[\d+\]")]
    private static partial Regex Inode();

    [GeneratedRegex(@"htons\((\d+)\)")]
    private static partial Regex Port();

    /// <summary>A number that stands as a value of its own: not a factor of a product (prlimit64's
    /// rlim_cur=8192*1024, whose 1024 may be a pid of one run) nor part of a longer token.</summary>
    [GeneratedRegex(@"(?<![*\w.])\d{2,}(?![*\w.])")]
    private static partial Regex Number();

    [GeneratedRegex(@"\d+")]
    private static partial Regex AnyNumber();

    [GeneratedRegex(@"/dev/pts/\d+")]
    private static partial Regex PtyPath();

    internal static string Normalize(string text, Dictionary<int, string> threads, string name)
    {
        if (name == "getrandom")
            text = Regex.Replace(text, "^\"[^\"]*\"", "\"<random>\"");
        if (name == "ioctl" && text.Contains("TIOCGPTN", StringComparison.Ordinal))
            text = Regex.Replace(text, @"\[\d+\]", "[N]");
        text = PtyPath().Replace(text, "/dev/pts/N");
        text = Regex.Replace(text, @"/#\d+>", "/#<inode>>"); // O_TMPFILE files are named by inode
        text = MapsLine().Replace(text, "<range>");
        text = HexNumber().Replace(text, "0x?");
        if (name is "getcpu")
            text = Regex.Replace(text, @"^\[\d+\]", "[N]"); // the CPU the call ran on
        if (name is "adjtimex" or "clock_adjtime")
            text = Regex.Replace(text, @"(?<=(time=\{tv_sec=|tv_usec=|maxerror=|esterror=|offset=|freq=))-?\d+", "N");
        if (name is "sysinfo" or "getrusage" or "times")
            text = AnyNumber().Replace(text, "N");
        // Clocks read, free space, a child's times: they move between the two runs.
        if (name is "time")
            text = Regex.Replace(text, @"^\[\d+ /\* .* \*/\]$", "[<now>]");
        if (name is "clock_gettime" or "clock_gettime64" or "gettimeofday")
            text = Regex.Replace(text, @"(?<=tv_sec=)\d+", "N");
        if (name is "clock_gettime" or "clock_gettime64" or "gettimeofday" or "wait4")
            text = Regex.Replace(text, @"(?<=tv_[nu]sec=)\d+", "N");
        if (name.Contains("statfs", StringComparison.Ordinal))
            text = Regex.Replace(text, @"(?<=f_bfree=|f_bavail=|f_ffree=)\d+", "N");
        text = Inode().Replace(text, "$1:[?]");
        // Key serials are random.
        if (name is "add_key" or "keyctl" or "request_key")
            text = Regex.Replace(text, @"\b\d{6,}\b", "<key>");
        // SysV IPC identifiers and a segment's times differ between runs.
        if (name.StartsWith("shm", StringComparison.Ordinal) || name.StartsWith("msg", StringComparison.Ordinal) || name.StartsWith("sem", StringComparison.Ordinal))
        {
            text = Regex.Replace(text, @"^\d+(?=, |$)", "<ipc id>");
            text = Regex.Replace(text, @"(?<=_[a-z]time=)\d+", "N");
        }
        text = Port().Replace(text, m => int.Parse(m.Groups[1].Value) >= 32768 ? "htons(<ephemeral>)" : m.Value);
        // Process and thread ids differ between the two runs: name them by their place in the
        // trace, but only where an id can stand, or a size that happens to equal a pid of one run
        // (read(3, ..., 832) on a fresh machine whose pids are small) would be renamed on one side.
        Regex ids = PidCalls.Contains(name) ? Number() : PidField();
        text = ids.Replace(text, m => int.TryParse(m.Value, out int n) && threads.TryGetValue(n, out string? t) ? "<pid " + t + ">" : m.Value);
        return text;
    }

    /// <summary>Calls whose plain numbers may be process or thread ids (futex: pthread_join waits
    /// on the thread's id).</summary>
    private static readonly HashSet<string> PidCalls = new(StringComparer.Ordinal)
    {
        "clone", "clone3", "fork", "vfork", "wait4", "waitid", "kill", "tkill", "tgkill", "getpid", "gettid", "getppid",
        "getpgid", "setpgid", "getsid", "getpgrp", "setsid", "futex", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open",
        "pidfd_send_signal", "sched_setaffinity", "sched_getaffinity", "sched_setscheduler", "sched_getscheduler",
        "sched_getparam", "sched_setparam", "prlimit64", "ptrace", "process_vm_readv", "process_vm_writev", "rt_sigreturn",
        "set_tid_address", "ioctl", "setns", "exit_group", "exit", "kcmp", "waitpid",
    };

    /// <summary>Ids inside structures and paths of any call: si_pid=, pid= (ucred),
    /// sigev_notify_thread_id=, /proc/PID.</summary>
    [GeneratedRegex(@"(?<=pid=|tid=|thread_id=|/proc/)\d{2,}\b")]
    private static partial Regex PidField();

    internal static string NormalizeResult(string text, Dictionary<int, string> threads, string name)
    {
        // rt_sigreturn returns the interrupted context's rax: a wait's child, 0, a syscall's
        // result, or whatever user code held, depending on where the signal landed.
        if (name is "futex" or "getppid" or "rt_sigreturn")
            return "<varies>";
        // The time a timeout had left depends on the machine's speed.
        if (name is "recvmmsg")
            text = Regex.Replace(text, @"(?<=left \{tv_sec=)\d+, tv_nsec=\d+", "N, tv_nsec=N");
        // The clock's seconds and their date: the second may turn between the two runs.
        if (name is "time")
            return Regex.Replace(text, @"^\d+ \(.*\)$", "<now> (<date>)");
        // Which child a wait reaps first depends on the order the children exit in.
        if (name is "wait4" or "waitid" or "waitpid" && int.TryParse(text, out int pid) && threads.ContainsKey(pid))
            return "<a child>";
        return Normalize(text, threads, name);
    }
}

/// <summary>Compiles the C workloads once into a scratch directory that is also their cwd.</summary>
public sealed class WorkloadFixture : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = "/root",
        ["LANG"] = "C",
    };

    private static readonly Microsoft.Win32.SafeHandles.SafeFileHandle DevNullHandle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
    public static readonly int DevNull = DevNullHandle.DangerousGetHandle().ToInt32();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pssyscall-oracle-").FullName;

    private readonly int _port = 20000 + System.Environment.ProcessId % 10000;

    public WorkloadFixture()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Workloads");
        foreach (string c in System.IO.Directory.GetFiles(source, "*.c"))
        {
            string exe = Path.Combine(Directory, Path.GetFileNameWithoutExtension(c));
            var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true };
            foreach (string a in new[] { "-O1", "-pthread", "-o", exe, c })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"gcc failed for {c}: {err}");
        }
    }

    /// <summary>How both tracers start a workload: the fixed environment, this directory, and
    /// /dev/null for stdio (as the oracle's strace run has them).</summary>
    public LaunchOptions Launch(string file, string[] args) => new()
    {
        FilePath = file,
        ArgumentZero = file,
        Arguments = args,
        Environment = Environment,
        WorkingDirectory = Directory,
        StandardInput = DevNull,
        StandardOutput = DevNull,
        StandardError = DevNull,
    };

    public (string File, string[] Args) Command(string workload) => workload switch
    {
        "sockets" => (Path.Combine(Directory, "sockets"), new[] { _port.ToString() }),
        "pipeline" => ("/bin/sh", new[] { "-c", "cat /etc/passwd | grep root | wc -l > /dev/null; echo done" }),
        "redirect" => ("/bin/sh", new[] { "-c", "echo hello > out.txt; cat < out.txt; rm out.txt; exec 3>&1; echo x >&3" }),
        "ls" => ("/bin/ls", new[] { "-la", "/etc/ssl" }),
        "cat" => ("/bin/cat", new[] { "/etc/hostname", "/etc/os-release" }),
        _ => (Path.Combine(Directory, workload), Array.Empty<string>()),
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
