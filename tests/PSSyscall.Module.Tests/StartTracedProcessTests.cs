using System.Management.Automation;

namespace PSSyscall.Module.Tests;

public class StartTracedProcessTests
{
    [Fact]
    public void EmitsTypedEventsAndSetsLastExitCode()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Start-TracedProcess -- sh -c 'exit 3' | Where-Object EventType -eq Syscall");
        Assert.Empty(errors);
        Assert.NotEmpty(output);
        Assert.All(output, o => Assert.IsType<SyscallEvent>(o.BaseObject));
        Assert.Equal(3, ps.GetVariable("LASTEXITCODE"));
    }

    [Theory]
    [InlineData("Start-TracedProcess no-such-command-xyz", "CommandNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Start-TracedProcess /etc/hostname", "CommandNotExecutable", ErrorCategory.PermissionDenied)]
    [InlineData("Start-TracedProcess -Id 999999999", "ProcessNotFound", ErrorCategory.ObjectNotFound)]
    public void BadInputGivesSpecificErrors(string script, string id, ErrorCategory category)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError(script);
        Assert.StartsWith(id, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
    }
}
