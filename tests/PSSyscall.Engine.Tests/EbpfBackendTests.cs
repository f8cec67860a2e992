using System.Diagnostics;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Tracing.Ebpf;
using Xunit.Abstractions;
using TraceOptions = PSSyscall.Engine.Tracing.TraceOptions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// The eBPF backend (issue 17) against strace and the ptrace backend: the same calls per name,
/// the same decoded text for every call whose captures the kernel program makes, losses
/// counted, and no BPF program, map or link left in this process after a trace.
/// </summary>
[Collection(EbpfCollection.Name)]
public sealed class EbpfBackendTests : IClassFixture<WorkloadFixture>
{
    private readonly WorkloadFixture _w;
    private readonly ITestOutputHelper _out;

    public EbpfBackendTests(WorkloadFixture workloads, ITestOutputHelper output)
    {
        _w = workloads;
        _out = output;
    }

    private static (List<TraceEvent> Events, TraceSession Session) RunEbpf(LaunchOptions launch, int stringLimit = 32, long bufferSize = 0, SyscallFilter? filter = null)
        => TraceRunner.Run(new TraceOptions { Launch = launch, Backend = TraceBackend.Ebpf, StringLimit = stringLimit, BufferSize = bufferSize, Filter = filter });

    [Theory]
    [InlineData("/bin/true")]
    [InlineData("cat", "/etc/hostname")]
    [InlineData("ls", "-la", "/usr/share/doc")]
    public void CountsEqualStraceAndPtrace(string command, params string[] args)
    {
        var (events, session) = RunEbpf(TraceRunner.Launch(command, args));
        Assert.Equal(0, session.ExitCode);
        Assert.Equal(TraceBackend.Ebpf, session.Backend);
        Assert.Equal(0, session.DroppedRecords);
        var ours = TraceRunner.CountByName(events).OrderBy(k => k.Key).ToList();
        Assert.NotEmpty(ours);
        Assert.Equal(StraceOracle.Count(ExecutableResolver.Resolve(command, Environment.CurrentDirectory), args).OrderBy(k => k.Key), ours);
        var (ptrace, _) = TraceRunner.Run(command, args);
        Assert.Equal(TraceRunner.CountByName(ptrace).OrderBy(k => k.Key), ours);
    }

    [Fact]
    public void ShellPipelineCountsEqualStrace()
    {
        string[] args = ["-c", "ls / | cat | wc -l; echo done | tr a-z A-Z; (cat /etc/hostname)"];
        var (events, _) = RunEbpf(TraceRunner.Launch("sh", args));
        // As TraceCountTests: interrupted attempts left out, rt_sigreturn by presence (SIGCHLD timing).
        var expected = StraceOracle.CountWithoutRestarts("/bin/sh", args);
        var actual = TraceRunner.CountByNameWithoutRestarts(events);
        Assert.Equal(expected.Where(k => k.Key != "rt_sigreturn").OrderBy(k => k.Key), actual.Where(k => k.Key != "rt_sigreturn").OrderBy(k => k.Key));
        var exits = events.OfType<ProcessExitEvent>().ToList();
        Assert.True(exits.Count >= 5, $"only {exits.Count} process exits");
        Assert.Single(exits, e => e.IsRoot);
        Assert.Equal(exits.Count, exits.Select(e => e.ProcessId).Distinct().Count());
    }

    [Fact]
    public void EightThreadsCountEqualStrace()
    {
        string program = TestPrograms.Compile(TestPrograms.Threads);
        var (events, _) = RunEbpf(TraceRunner.Launch(program));
        var getppid = events.OfType<SyscallEvent>().Where(e => e.Name == "getppid").ToList();
        Assert.Equal(8000, getppid.Count);
        Assert.Equal(8, getppid.Select(e => e.ThreadId).Distinct().Count());
        Assert.All(getppid.GroupBy(e => e.ThreadId), g => Assert.Equal(1000, g.Count()));
        Assert.Equal(StraceOracle.Count(program).Where(k => k.Key != "futex").OrderBy(k => k.Key),
            TraceRunner.CountByName(events).Where(k => k.Key != "futex").OrderBy(k => k.Key));
    }

    [Fact]
    public void ExecFromThreadIsReportedAsStraceCountsIt()
    {
        string program = TestPrograms.Compile(TestPrograms.ExecFromThread);
        var (events, session) = RunEbpf(TraceRunner.Launch(program));
        Assert.Equal(0, session.ExitCode);
        var syscalls = events.OfType<SyscallEvent>().ToList();
        var execs = syscalls.Where(e => e.Name == "execve").ToList();
        Assert.Equal(2, execs.Count);
        Assert.All(execs, e => Assert.Equal(0, e.ReturnValue));
        Assert.Single(syscalls, e => e.Name == "pause" && e.Unfinished);
        Assert.Equal("true", events.OfType<ProcessExitEvent>().Single(e => e.IsRoot).ProcessName);
        Assert.Equal(StraceOracle.Count(program).OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
    }

    [Fact]
    public void VforkAndCloneChildrenAreFollowed()
    {
        string program = TestPrograms.Compile(TestPrograms.VforkAndClone, "");
        var (events, session) = RunEbpf(TraceRunner.Launch(program));
        Assert.Equal(0, session.ExitCode);
        Assert.Equal(5, events.OfType<ProcessExitEvent>().Count());
        Assert.Equal(StraceOracle.Count(program).OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
    }

    [Fact]
    public void DeathBySignalIsReported()
    {
        string program = TestPrograms.Compile(TestPrograms.Segfault, "");
        var (events, session) = RunEbpf(TraceRunner.Launch(program));
        Assert.Equal(128 + 11, session.ExitCode);
        var signal = events.OfType<SignalEvent>().Single();
        Assert.Equal("SIGSEGV", signal.Signal);
        Assert.Equal("SEGV_MAPERR", signal.Code);
        Assert.Equal(16, signal.Value);
        var exit = events.OfType<ProcessExitEvent>().Single();
        Assert.Equal("SIGSEGV", exit.Signal);
        Assert.Equal(139, exit.ExitCode);
    }

    [Fact]
    public void TheReaderDoesNotAllocatePerSyscall()
    {
        // Calls with no memory to capture (getppid), so that no batch's capture arena grows: what
        // is left besides the batches is a name per process and the reader's bookkeeping.
        var options = new TraceOptions { Launch = TraceRunner.Launch(TestPrograms.Compile(TestPrograms.Threads)), Backend = TraceBackend.Ebpf };
        var (events, session) = TraceRunner.Run(options);
        int syscalls = events.OfType<SyscallEvent>().Count();
        Assert.True(syscalls > 8_000, $"only {syscalls} syscalls");
        long batchBytes = (long)options.BatchSize * (System.Runtime.CompilerServices.Unsafe.SizeOf<TraceRecord>() + 64) + 128;
        long rest = session.TracerAllocatedBytes - session.TracerBatchesAllocated * batchBytes;
        Assert.True(session.TracerAllocatedBytes > 0);
        Assert.True(rest < syscalls * 8L, $"{rest} bytes besides {session.TracerBatchesAllocated} batches for {syscalls} syscalls");
    }

    [Fact]
    public void ProgramsAreVerifiedOnlyWithTheCaptureKindsTheSelectionUses()
    {
        // pss_kinds (src/bpf/pssyscall_bpf.h): 3 = a C string, 5/6/7 = a descriptor's, a
        // directory descriptor's, the result's link, 13 = an iovec, 14 = a msghdr, 10 = argv.
        static (uint Entry, uint Exit) Kinds(SyscallFilter filter)
        {
            byte[][] plans = EbpfPlans.Build(filter, out _, out var conditional);
            EbpfPlans.KindsUsed(plans, conditional, out uint entry, out uint exit);
            return (entry, exit);
        }
        // openat: its path at entry; its directory's link (deferred: no path walk at entry) and
        // the result's link at exit. With close selected too, links are taken at entry as well.
        var openat = Kinds(SyscallFilter.Create(["openat"]));
        Assert.Equal(1u << 3, openat.Entry);
        Assert.Equal((1u << 6) | (1u << 7), openat.Exit);
        var withClose = Kinds(SyscallFilter.Create(["openat", "close"]));
        Assert.Equal((1u << 3) | (1u << 5) | (1u << 6), withClose.Entry);
        var all = Kinds(SyscallFilter.All);
        foreach (int kind in new[] { 3, 5, 6, 10, 13, 14 })
            Assert.True((all.Entry & (1u << kind)) != 0, $"kind {kind} at entry of a full trace");
        Assert.True((all.Exit & (1u << 7)) != 0 && (all.Exit & (1u << 13)) != 0);

        // And the programs load and run with the narrow set: openat's path and links decoded.
        var (events, _) = TraceRunner.Run(new TraceOptions
        {
            Launch = TraceRunner.Launch("cat", "/etc/hostname"), Backend = TraceBackend.Ebpf, Filter = SyscallFilter.Create(["openat"]),
        });
        var open = Assert.Single(events.OfType<SyscallEvent>(), e => e.Path == "/etc/hostname");
        Assert.Contains("AT_FDCWD<", open.Arguments);
        Assert.Equal("3</etc/hostname>", open.Result);
    }

    [Fact]
    public void KernelFiltersSelectNamesAndResults()
    {
        var filter = SyscallFilter.Create(["openat"], result: ResultFilter.Failed);
        var (events, _) = RunEbpf(TraceRunner.Launch("cat", "/nonexistent-pssyscall"), filter: filter);
        var calls = events.OfType<SyscallEvent>().ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, e => Assert.Equal("openat", e.Name));
        Assert.All(calls, e => Assert.NotNull(e.Errno));
        var expected = StraceOracle.Count(ExecutableResolver.Resolve("cat", Environment.CurrentDirectory), "/nonexistent-pssyscall")["openat"].Errors;
        Assert.Equal(expected, calls.Count);
        Assert.Contains(calls, e => e.Path == "/nonexistent-pssyscall");
    }

    /// <summary>Every call of the decoding oracle's workloads that the kernel program captures in
    /// full shows the same arguments and result as with the ptrace backend.</summary>
    [Theory]
    [InlineData("fileio")]
    [InlineData("memory")]
    [InlineData("threads")]
    [InlineData("ctypes")]
    [InlineData("filemeta")]
    [InlineData("procattrs")]
    [InlineData("timers")]
    [InlineData("misc")]
    [InlineData("pipeline")]
    [InlineData("redirect")]
    [InlineData("ls")]
    [InlineData("cat")]
    [InlineData("execmissing")]
    [InlineData("signals")]
    [InlineData("sockets")]
    [InlineData("pollfds")]
    [InlineData("sigwait")]
    [InlineData("ipc")]
    [InlineData("outputrules")]
    [InlineData("kernelapi")]
    [InlineData("sysmisc")]
    [InlineData("ioctls")]
    [InlineData("bigarrays")]
    [InlineData("fdfields")]
    public void DecodedTextEqualsPtrace(string workload)
    {
        (string file, string[] args) = _w.Command(workload);
        List<SyscallEvent> ptrace = Run(TraceBackend.Ptrace, file, args);
        List<SyscallEvent> ebpf = Run(TraceBackend.Ebpf, file, args);
        var c = BackendTextComparison.Run(ptrace, ebpf, SyscallArchitecture.X86_64, e => EbpfPlans.IsFullyCaptured(e.Number));
        _out.WriteLine($"{workload}: {c.Compared} calls compared, {c.Skipped} not fully captured by the kernel program or unfinished; ptrace {ptrace.Count}, ebpf {ebpf.Count}");
        _out.WriteLine($"  compared: {string.Join(' ', c.ComparedNames)}");
        _out.WriteLine($"  skipped: {string.Join(' ', c.SkippedNames)}");
        foreach (string p in c.Problems)
            _out.WriteLine("  " + p);
        Assert.True(c.Compared >= 20, $"only {c.Compared} calls compared");
        Assert.Empty(c.Problems);
    }

    /// <summary>Every x86_64 call's captures are compiled for the kernel program: poll, select,
    /// epoll_wait, msghdr's SCM_RIGHTS, mmsghdr arrays, clone3, the descriptors inside bpf's and
    /// ioctl's structures and the arrays io_uring_register's point to included (DecodedTextEqualsPtrace
    /// then compares every x86_64 call of its workloads).</summary>
    [Fact]
    public void EveryX86CallIsFullyCaptured()
    {
        SyscallTable table = SyscallTable.For(SyscallArchitecture.X86_64);
        var partial = table.Entries.Select(e => e.Number).Where(nr => nr < EbpfPlans.MaxSyscalls)
            .Where(nr => !EbpfPlans.IsFullyCaptured(nr)).Select(nr => table.GetName(nr)!).Order(StringComparer.Ordinal).ToList();
        _out.WriteLine(string.Join(" ", partial));
        Assert.Empty(partial);
    }

    /// <summary>The signals workload: the same signals as ptrace shows, a fatal SIGTERM as itself
    /// (not the group SIGKILL the kernel makes of it) and the ignored SIGCHLD too.</summary>
    [Fact]
    public void SignalsEqualPtrace()
    {
        (string file, string[] args) = _w.Command("signals");
        List<string> Signals(TraceBackend backend)
        {
            using var session = TraceSession.Start(new TraceOptions { Launch = _w.Launch(file, args), Backend = backend });
            return session.ReadEvents().OfType<SignalEvent>().Select(e => $"{e.Signal} {e.Code}").Order().ToList();
        }
        var ptrace = Signals(TraceBackend.Ptrace);
        Assert.Contains("SIGTERM SI_USER", ptrace);
        Assert.Contains("SIGCHLD CLD_KILLED", ptrace);
        Assert.Equal(ptrace, Signals(TraceBackend.Ebpf));
    }

    /// <summary>i386 (int 0x80) and x32 calls of a 64-bit process are named from their own tables
    /// and shown with their registers, as ptrace shows them, not decoded as x86_64 calls.</summary>
    [Fact]
    public void ForeignAbiCallsAreShownAsPtraceShowsThem()
    {
        (string file, string[] args) = _w.Command("foreignabi");
        List<string> Foreign(TraceBackend backend)
        {
            using var session = TraceSession.Start(new TraceOptions { Launch = _w.Launch(file, args), Backend = backend });
            return session.ReadEvents().OfType<SyscallEvent>().Where(e => e.Architecture != SyscallArchitecture.X86_64)
                .Select(e => $"{e.Architecture} {e.Name} = {e.Result}").ToList();
        }
        var ptrace = Foreign(TraceBackend.Ptrace);
        Assert.Equal(3, ptrace.Count);
        Assert.Equal(ptrace.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"= \d+$", "= N")),
            Foreign(TraceBackend.Ebpf).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"= \d+$", "= N")));
    }

    private List<SyscallEvent> Run(TraceBackend backend, string file, string[] args)
    {
        using var session = TraceSession.Start(new TraceOptions { StringLimit = 64, Launch = _w.Launch(file, args), Backend = backend });
        var events = session.ReadEvents().OfType<SyscallEvent>().ToList();
        Assert.Equal(backend, session.Backend);
        return events;
    }

    /// <summary>Descriptor paths are cached in the kernel by dentry; a rename by a traced process
    /// starts a new generation, so the descriptor shows the file's new name afterwards.</summary>
    [Fact]
    public void ADescriptorShowsItsFilesNameAfterARename()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-ebpf-").FullName;
        try
        {
            // The directory is renamed, not the file: the file's own dentry (name, parent) is unchanged.
            Directory.CreateDirectory(Path.Combine(dir, "d"));
            File.WriteAllText(Path.Combine(dir, "d", "a.txt"), "x");
            var (events, _) = RunEbpf(TraceRunner.Launch("sh", "-c", $"exec 3<{dir}/d/a.txt; cat <&3 >/dev/null; mv {dir}/d {dir}/e; cat <&3 >/dev/null"));
            var reads = events.OfType<SyscallEvent>().Where(e => e.Name == "read" && e.Arguments.StartsWith("0<", StringComparison.Ordinal)).Select(e => e.Arguments).ToList();
            Assert.Contains(reads, a => a.StartsWith($"0<{dir}/d/a.txt>", StringComparison.Ordinal));
            Assert.Contains(reads, a => a.StartsWith($"0<{dir}/e/a.txt>", StringComparison.Ordinal));
            var fstat = events.OfType<SyscallEvent>().Last(e => e.Name == "newfstatat" && e.Arguments.StartsWith("0<", StringComparison.Ordinal));
            Assert.StartsWith($"0<{dir}/e/a.txt>", fstat.Arguments);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ATinyRingLosesEventsAndCountsThem()
    {
        var launch = TraceRunner.Launch("ls", "-laR", "/usr/share/doc");
        var (events, session) = RunEbpf(launch, bufferSize: 4096);
        var (full, _) = RunEbpf(launch);
        long got = events.OfType<SyscallEvent>().Count();
        long all = full.OfType<SyscallEvent>().Count();
        _out.WriteLine($"tiny ring: {got} events, {session.DroppedRecords} dropped; full: {all}");
        Assert.Equal(4096, session.BufferSize);
        Assert.True(session.DroppedRecords > 0, "nothing dropped with a 4 KiB ring");
        Assert.True(got < all);
        // Every record the ring could not take was counted: events + drops cover the whole trace
        // (drops also count process records, so they may exceed the missing calls).
        Assert.True(got + session.DroppedRecords >= all, $"{got} + {session.DroppedRecords} < {all}");
    }

    [Fact]
    public void CancelKillsTheTreeAndEndsTheTrace()
    {
        using var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "sleep 30 & sleep 30; wait"), Backend = TraceBackend.Ebpf });
        int pid = session.ProcessId;
        var clock = Stopwatch.StartNew();
        int seen = 0;
        foreach (TraceEvent e in session.ReadEvents())
        {
            if (++seen == 20)
                session.Cancel();
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the trace took {clock.Elapsed} to end after the cancel");
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z", "the launched shell outlived the trace");
    }

    [Fact]
    public void AttachFollowsARunningProcess()
    {
        using var sleep = PSSyscall.Tests.Shared.DetachedProcess.Start("sh", "-c", "sleep 0.5; cat /etc/hostname; sleep 0.3");
        for (var wait = Stopwatch.StartNew(); File.ReadAllText($"/proc/{sleep.Id}/comm").Trim() != "sh" && wait.Elapsed < TimeSpan.FromSeconds(5); Thread.Sleep(5)) { }
        using var session = TraceSession.Start(new TraceOptions { AttachProcessIds = [sleep.Id], Backend = TraceBackend.Ebpf });
        var events = session.ReadEvents().ToList();
        Assert.Contains(events.OfType<SyscallEvent>(), e => e.Name == "openat" && e.Path == "/etc/hostname");
        Assert.Contains(events.OfType<ProcessExitEvent>(), e => e.ProcessId == sleep.Id);
    }

    /// <summary>Nothing is pinned: the programs, maps and links are descriptors of this process,
    /// closed when the session ends.</summary>
    [Fact]
    public void NoBpfObjectIsLeftOpenAfterATrace()
    {
        // A session an earlier test ended may still be closing its reader's descriptors: count
        // once that has settled (bounded), so "before" is this test's own baseline.
        int before = SettledBpfDescriptors();
        // A tracee that outlives the check (/bin/true's trace may end, and close them, first).
        using (var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("sleep", "0.3"), Backend = TraceBackend.Ebpf }))
        {
            Assert.True(BpfDescriptors() > before, "the session holds no BPF descriptor while it runs");
            session.ReadEvents().ToList();
        }
        // Bounded: this session's reader may close its last descriptors just after Dispose returns.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (BpfDescriptors() > before && clock.Elapsed < TimeSpan.FromSeconds(2))
            Thread.Sleep(20);
        Assert.True(BpfDescriptors() <= before, $"{BpfDescriptors()} BPF descriptors open after the trace, {before} before it");
    }

    [Fact]
    public void AutoFallsBackToPtraceForFaults()
    {
        var fault = FaultRunner.Fault("openat", errno: "ENOENT");
        using var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("/bin/true"), Backend = TraceBackend.Auto, Faults = [fault] });
        session.ReadEvents().ToList();
        Assert.Equal(TraceBackend.Ptrace, session.Backend);
        Assert.Contains("-Inject", session.BackendNote);
        var e = Assert.Throws<TraceException>(() => TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("/bin/true"), Backend = TraceBackend.Ebpf, Faults = [fault] }));
        Assert.Equal("EbpfUnavailable", e.ErrorId);
    }

    [Fact]
    public void AutoUsesEbpfForAFullTraceAndForAFilteredLaunch()
    {
        using (var full = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("/bin/true"), Backend = TraceBackend.Auto }))
        {
            full.ReadEvents().ToList();
            Assert.Equal(TraceBackend.Ebpf, full.Backend);
        }
        using var filtered = TraceSession.Start(new TraceOptions
        {
            Launch = TraceRunner.Launch("cat", "/etc/hostname"), Backend = TraceBackend.Auto,
            Filter = SyscallFilter.Create(["openat"]), UseSeccompStops = true,
        });
        var events = filtered.ReadEvents().OfType<SyscallEvent>().ToList();
        Assert.Equal(TraceBackend.Ebpf, filtered.Backend);
        Assert.All(events, e => Assert.Equal("openat", e.Name));
        Assert.Contains(events, e => e.Path == "/etc/hostname");
    }

    [Fact]
    public void AutoFallsBackToPtraceWhereEbpfCannotLoad()
    {
        EbpfTracer.LoaderPathForTests = "/nonexistent/libpssyscall_bpf.so";
        try
        {
            using (var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("cat", "/etc/hostname"), Backend = TraceBackend.Auto }))
            {
                var events = session.ReadEvents().ToList();
                Assert.Equal(TraceBackend.Ptrace, session.Backend);
                Assert.StartsWith("ptrace, because the eBPF backend is not available", session.BackendNote);
                Assert.Contains(events.OfType<SyscallEvent>(), e => e.Path == "/etc/hostname");
            }
            var e = Assert.Throws<TraceException>(() => TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("/bin/true"), Backend = TraceBackend.Ebpf }));
            Assert.Equal("EbpfUnavailable", e.ErrorId);
            Assert.Equal(FailureCategory.NotInstalled, e.Category);
        }
        finally
        {
            EbpfTracer.LoaderPathForTests = null;
        }
    }

    private static int SettledBpfDescriptors()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int count = BpfDescriptors();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            Thread.Sleep(50);
            int now = BpfDescriptors();
            if (now == count)
                break;
            count = now;
        }
        return count;
    }

    private static int BpfDescriptors()
        => Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget is string t && t.StartsWith("anon_inode:bpf", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        });
}
