using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>A filter learnt from a trace of `ls /` must let `ls /` run, and deny what ls never did.</summary>
public class SeccompLearnerTests
{
    [Fact]
    public void FilterLearntFromTracingLsLetsLsRunAndDeniesTheRest()
    {
        var (events, session) = TraceRunner.Run(new Tracing.TraceOptions
        {
            Launch = new Tracing.LaunchOptions
            {
                FilePath = "/usr/bin/ls",
                ArgumentZero = "ls",
                Arguments = new[] { "/" },
                StandardOutput = ProgramRunnerDevNull.Fd,
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["LC_ALL"] = "C" },
            },
        });
        Assert.Equal(0, session.ExitCode);
        var learner = new SeccompLearner();
        foreach (SyscallEvent e in events.OfType<SyscallEvent>())
            learner.Observe(e);
        Assert.Contains("getdents64", learner.Names);
        Assert.Contains("exit_group", learner.Names);
        Assert.DoesNotContain("unshare", learner.Names);

        var filter = new SeccompFilter { DefaultAction = SeccompAction.Errno(1) };
        learner.ApplyTo(filter);
        CompiledSeccompFilter compiled = filter.Compile();

        var (code, output) = ProgramRunner.Run(compiled, "ls", "/");
        var (_, expected) = ProgramRunner.Run(null, "ls", "/");
        Assert.Equal(0, code);
        Assert.Equal(expected, output);

        // Something ls never does is denied: by the emulator, and by the kernel for a real call
        // (the probe needs its own few calls allowed on top of the learnt filter).
        Assert.Equal("Errno(1)", compiled.Evaluate("unshare").Action);
        Assert.Equal("Errno(1)", compiled.Evaluate("ptrace").Action);
        CompiledSeccompFilter withProbe = SeccompProbe.WithInfrastructure(filter).Compile();
        Assert.True(Syscalls.SyscallTable.X86_64.TryGetNumber("getcpu", out int getcpu));
        Assert.DoesNotContain("getcpu", learner.Names);
        Assert.Equal(ProbeOutcome.Exited(1), SeccompProbe.Run(withProbe, SyscallArchitecture.X86_64, getcpu, 0, 0, 0));
        Assert.True(Syscalls.SyscallTable.X86_64.TryGetNumber("getpid", out int getpid));
        ProbeOutcome allowedCall = SeccompProbe.Run(SeccompProbe.WithInfrastructure(new SeccompFilter { DefaultAction = SeccompAction.Errno(1), Rules = { learner.ToRule(), new SeccompRule(new[] { "getpid" }, SeccompAction.Allow) } }).Compile(), SyscallArchitecture.X86_64, getpid);
        Assert.Equal(ProbeOutcome.Exited(0), allowedCall);
    }
}

internal static class ProgramRunnerDevNull
{
    private static readonly Microsoft.Win32.SafeHandles.SafeFileHandle Handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
    public static readonly int Fd = Handle.DangerousGetHandle().ToInt32();
}
