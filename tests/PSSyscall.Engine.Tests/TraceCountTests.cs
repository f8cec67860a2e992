namespace PSSyscall.Engine.Tests;

/// <summary>Per-name syscall counts equal strace -f's on deterministic workloads.</summary>
public class TraceCountTests
{
    [Theory]
    [InlineData("/bin/true")]
    [InlineData("cat", "/etc/hostname")]
    [InlineData("sh", "-c", "ls / | cat | wc -l; echo done | tr a-z A-Z; (cat /etc/hostname)")]
    public void CountsEqualStrace(string command, params string[] args)
    {
        var (events, session) = TraceRunner.Run(command, args);
        Assert.Equal(0, session.ExitCode);
        if (args.Length == 0 || command != "sh")
        {
            // No children to race with: strace -c's table, exactly.
            Assert.Equal(StraceOracle.Count(command, args).OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
            return;
        }
        // A pipeline's children end while the shell forks and waits: when their SIGCHLD interrupts
        // a call (restarted by the kernel) differs between any two runs, traced or not, and the
        // shell's handler runs once per delivered SIGCHLD (the kernel merges one that arrives while
        // another is pending). So interrupted attempts are left out on both sides and rt_sigreturn
        // is compared by presence; every other count must match exactly.
        var expected = StraceOracle.CountWithoutRestarts(command, args);
        var actual = TraceRunner.CountByNameWithoutRestarts(events);
        Assert.Equal(expected.Where(k => k.Key != "rt_sigreturn").OrderBy(k => k.Key), actual.Where(k => k.Key != "rt_sigreturn").OrderBy(k => k.Key));
        Assert.Equal(expected.ContainsKey("rt_sigreturn"), actual.ContainsKey("rt_sigreturn"));
    }

    [Fact]
    public void ShellPipelineFollowsEveryChild()
    {
        var (events, _) = TraceRunner.Run("sh", "-c", "ls / | cat | wc -l; echo done | tr a-z A-Z");
        var exits = events.OfType<ProcessExitEvent>().ToList();
        // sh, ls, cat, wc, echo's subshell or tr: at least 5 processes, each reported once.
        Assert.True(exits.Count >= 5, $"only {exits.Count} process exits");
        Assert.Equal(exits.Count, exits.Select(e => e.ProcessId).Distinct().Count());
        Assert.Single(exits, e => e.IsRoot);
        Assert.Equal(exits.Count, events.OfType<SyscallEvent>().Count(e => e.Name == "exit_group" && e.Unfinished));
    }

    [Fact]
    public void EightThreadsEachCallGetppidAThousandTimes()
    {
        string program = TestPrograms.Compile(TestPrograms.Threads);
        var expected = StraceOracle.Count(program);
        var (events, _) = TraceRunner.Run(program);
        var getppid = events.OfType<SyscallEvent>().Where(e => e.Name == "getppid").ToList();
        Assert.Equal(8000, getppid.Count);
        Assert.Equal(8, getppid.Select(e => e.ThreadId).Distinct().Count());
        Assert.All(getppid.GroupBy(e => e.ThreadId), g => Assert.Equal(1000, g.Count()));
        Assert.All(getppid, e => Assert.NotEqual(e.ProcessId, e.ThreadId));
        // futex calls depend on how the threads interleave (pthread_join may or may not wait), so
        // they differ between any two runs; every other count is deterministic.
        Assert.Equal(expected.Where(k => k.Key != "futex").OrderBy(k => k.Key),
            TraceRunner.CountByName(events).Where(k => k.Key != "futex").OrderBy(k => k.Key));
    }

    [Fact]
    public void VforkAndCloneChildrenAreFollowed()
    {
        string program = TestPrograms.Compile(TestPrograms.VforkAndClone, "");
        var (events, session) = TraceRunner.Run(program);
        Assert.Equal(0, session.ExitCode);
        Assert.Equal(5, events.OfType<ProcessExitEvent>().Count()); // the program, 3 vfork children, 1 clone child
        Assert.Equal(StraceOracle.Count(program).OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
    }

    [Fact]
    public void EventsStreamWhileTheCommandRuns()
    {
        using var session = Tracing.TraceSession.Start(new Tracing.TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "cat /etc/hostname; sleep 2") });
        using var events = session.ReadEvents().GetEnumerator();
        Assert.True(events.MoveNext());
        Assert.True(Directory.Exists($"/proc/{session.ProcessId}"), "the first event came only after the command ended");
        while (events.MoveNext()) { }
    }

    [Fact]
    public void TheStopLoopDoesNotAllocatePerSyscall()
    {
        // The tracer thread allocates batches until the queue is full (then they are recycled),
        // a little per publish and per process, and nothing per syscall: below 8 bytes a syscall
        // once the batches are set aside (the smallest .NET object is 24 bytes).
        var options = new Tracing.TraceOptions { Launch = TraceRunner.Launch("ls", "-laR", "/usr/share/doc") };
        var (events, session) = TraceRunner.Run(options);
        int syscalls = events.OfType<SyscallEvent>().Count();
        Assert.True(syscalls > 10_000, $"only {syscalls} syscalls");
        Assert.True(session.TracerBatchesAllocated <= options.QueueCapacity + 2, $"{session.TracerBatchesAllocated} batches");
        long batchBytes = (long)options.BatchSize * (System.Runtime.CompilerServices.Unsafe.SizeOf<Tracing.TraceRecord>() + Tracing.TraceBatch.CaptureBytesPerRecord) + 128;
        long rest = session.TracerAllocatedBytes - session.TracerBatchesAllocated * batchBytes;
        Assert.True(rest < syscalls * 8L, $"{rest} bytes besides batches for {syscalls} syscalls");
    }

    [Fact]
    public void BatchesAreHandedOverFullNotPerEvent()
    {
        // A busy tracee stops again within microseconds of being resumed, so the tracer is idle
        // between almost every two calls: handing over at each idle moment made one batch per
        // event. Now a partial batch goes over only after waiting a flush period (by the tracer
        // or its idle flusher), so there are at most the full batches plus two per period.
        var options = new Tracing.TraceOptions { Launch = TraceRunner.Launch("ls", "-laR", "/usr/share/doc") };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (events, session) = TraceRunner.Run(options);
        double periods = clock.Elapsed / Tracing.IdleFlusher.Period;
        int records = events.Count;
        Assert.True(records > 10_000, $"only {records} events");
        double bound = (double)records / options.BatchSize + 2 * periods + 2;
        Assert.True(session.TracerBatchesPublished <= bound, $"{session.TracerBatchesPublished} batches for {records} events in {clock.Elapsed.TotalMilliseconds:N0} ms (bound {bound:N0})");
    }

    [Fact]
    public void NoFollowTracesOnlyTheFirstProcess()
    {
        var (events, _) = TraceRunner.Run(new Tracing.TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "/bin/true; /bin/true"), FollowForks = false });
        Assert.All(events, e => Assert.Equal(events[0].ProcessId, e.ProcessId));
        Assert.Contains(events.OfType<SyscallEvent>(), e => e.Name is "clone" or "fork" or "vfork" or "clone3");
    }
}
