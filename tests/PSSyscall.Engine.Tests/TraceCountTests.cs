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
        var expected = StraceOracle.Count(command, args);
        var (events, session) = TraceRunner.Run(command, args);
        Assert.Equal(0, session.ExitCode);
        Assert.Equal(expected.OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
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
    public void NoFollowTracesOnlyTheFirstProcess()
    {
        var (events, _) = TraceRunner.Run(new Tracing.TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "/bin/true; /bin/true"), FollowForks = false });
        Assert.All(events, e => Assert.Equal(events[0].ProcessId, e.ProcessId));
        Assert.Contains(events.OfType<SyscallEvent>(), e => e.Name is "clone" or "fork" or "vfork" or "clone3");
    }
}
