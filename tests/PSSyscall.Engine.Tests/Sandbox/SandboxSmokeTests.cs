using PSSyscall.Engine.Sandbox;

namespace PSSyscall.Engine.Tests.Sandbox;

public class SandboxSmokeTests
{
    [Fact]
    public void DeniedCallFailsWithThePolicysErrnoAndIsReported()
    {
        var run = SandboxRunner.Execute(new SandboxOptions
        {
            FilePath = SandboxRunner.Probe,
            Arguments = ["call", "unshare", "getppid"],
            SeccompProgram = SandboxRunner.DenyPolicy("unshare"),
        });
        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal("unshare -1 EPERM", run.Output[0]);
        Assert.StartsWith("getppid ", run.Output[1]);
        Assert.EndsWith(" OK", run.Output[1]);
        SeccompViolation v = Assert.Single(run.Violations);
        Assert.Equal("unshare", v.Name);
        Assert.Equal("Errno(EPERM)", v.Action);
    }
}
