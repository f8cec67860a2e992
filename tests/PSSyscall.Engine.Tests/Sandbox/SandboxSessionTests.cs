using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests.Sandbox;

public class SandboxSessionTests
{
    [Fact]
    public void StdoutAndStderrArriveAsLinesWithTheExitCode()
    {
        var run = SandboxRunner.Execute(new SandboxOptions { FilePath = SandboxRunner.Probe, Arguments = ["stderr"] });
        Assert.Equal(["to stdout"], run.Output);
        Assert.Equal(["to stderr"], run.Errors);
        Assert.Equal(7, run.Result.ExitCode);
        Assert.Null(run.Result.Signal);
        Assert.False(run.Result.TimedOut);
        Assert.True(run.Result.PeakMemory > 0);
    }

    [Fact]
    public void ResourceLimitsReachTheCommand()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "ulimit -n; ulimit -t; ulimit -f") with
        {
            MaxOpenFiles = 10,
            MaxCpuTime = TimeSpan.FromSeconds(2),
            MaxFileSize = 1 << 20,
        });
        // dash reports the file size limit in 512-byte blocks.
        Assert.Equal(["10", "2", "2048"], run.Output);
    }

    [Fact]
    public void PidIsolationMakesTheCommandInitWithItsOwnProc()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]'") with { Isolation = SandboxIsolation.Pid });
        Assert.Equal("1", run.Output[0]);
        Assert.InRange(int.Parse(run.Output[1]), 1, 3); // sh, ls, grep at most
        Assert.Equal(0, run.Result.ExitCode);
    }

    [Fact]
    public void AUserNamespaceMapsOnlyTheSandboxsUser()
    {
        // Root's command runs as nobody: the namespace maps that user alone, and the process holds it.
        uint uid = Native.Libc.geteuid() == 0 ? (uint)SandboxOptions.UnprivilegedId : Native.Libc.geteuid();
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "cat /proc/self/uid_map; id -u") with { Isolation = SandboxIsolation.User | SandboxIsolation.Ipc });
        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal([uid, uid, 1u], run.Output[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse));
        Assert.Equal(uid.ToString(), run.Output[1]);
    }

    [Fact]
    public void TheWorkingDirectoryAndEnvironmentAreTheGivenOnes()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "pwd; echo $ONLY; echo ${HOME:-unset}") with
        {
            WorkingDirectory = "/usr/share",
            Environment = new Dictionary<string, string> { ["ONLY"] = "this", ["PATH"] = "/usr/bin:/bin" },
        });
        Assert.Equal(["/usr/share", "this", "unset"], run.Output);
    }

    [Fact]
    public void HostnameGivesAUtsNamespace()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("hostname") with { Hostname = "sandboxed" });
        Assert.Equal(["sandboxed"], run.Output);
        Assert.NotEqual("sandboxed", Environment.MachineName);
    }

    [Fact]
    public void ABadLandlockPathFailsBeforeAnythingRuns()
    {
        string marker = Path.Combine(Path.GetTempPath(), "pssyscall-marker-" + Guid.NewGuid());
        var e = Assert.Throws<SandboxException>(() => SandboxRunner.Execute(SandboxRunner.Options("touch", marker) with { ReadOnlyPaths = ["/no/such/path"] }));
        Assert.Equal(SandboxFailure.PathNotFound, e.Failure);
        Assert.Equal(LaunchStage.Landlock, e.Stage);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void AnExecutableLandlockDeniesFailsAtTheExecStage()
    {
        var e = Assert.Throws<SandboxException>(() => SandboxRunner.Execute(SandboxRunner.Options("true") with { ReadOnlyPaths = ["/etc"] }));
        Assert.Equal(SandboxFailure.PermissionDenied, e.Failure);
        Assert.Equal(LaunchStage.Exec, e.Stage);
        Assert.Contains("-ExecutablePath", e.Message);
    }

    [Fact]
    public void AReadOnlyPathAllowsExecutingBeneathIt()
    {
        var run = SandboxRunner.Execute(SandboxRunner.Options("sh", "-c", "echo ran") with { ReadOnlyPaths = ["/usr", "/etc"] });
        Assert.Equal(["ran"], run.Output);
    }

    [Fact]
    public void APolicyThatDeniesExecveStopsTheCommandBeforeItRuns()
    {
        byte[] policy = new SeccompFilter { Rules = { new SeccompRule(["execve"], SeccompAction.Errno(1)) } }.Compile().Program;
        var e = Assert.Throws<SandboxException>(() => SandboxRunner.Execute(SandboxRunner.Options("true") with { SeccompProgram = policy }));
        Assert.Equal(LaunchStage.Exec, e.Stage);
    }

    [Fact]
    public void ADeniedSendmsgDoesNotBreakTheLaunch()
    {
        // The listener is taken by the parent (pidfd_getfd), never sent under the filter.
        byte[] policy = new SeccompFilter { Rules = { new SeccompRule(["sendmsg", "write"], SeccompAction.Errno(1)) } }.Compile().Program;
        var run = SandboxRunner.Execute(SandboxRunner.Options("true") with { SeccompProgram = policy });
        Assert.Equal(0, run.Result.ExitCode);
    }
}
