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
    [InlineData("$f = [System.IO.Path]::GetTempFileName(); Start-TracedProcess $f", "CommandNotExecutable", ErrorCategory.PermissionDenied)]
    [InlineData("Start-TracedProcess /", "CommandNotExecutable", ErrorCategory.PermissionDenied)]
    [InlineData("Start-TracedProcess -Id 999999999", "ProcessNotFound", ErrorCategory.ObjectNotFound)]
    public void BadInputGivesSpecificErrors(string script, string id, ErrorCategory category)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError(script);
        Assert.StartsWith(id, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
    }

    [Fact]
    public void EventsSurviveRemotingSerialization()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(@"
            $events = Start-TracedProcess cat /etc/hostname
            foreach ($e in $events) {
                $d = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($e))
                [pscustomobject]@{ Type = $d.PSObject.TypeNames[0]; Same = ($d.Name -eq $e.Name -and $d.ProcessId -eq $e.ProcessId -and $d.Timestamp -eq $e.Timestamp -and $d.Duration -eq $e.Duration -and $d.ExitCode -eq $e.ExitCode -and $d.Signal -eq $e.Signal -and $d.Argument0 -eq $e.Argument0 -and $d.ReturnValue -eq $e.ReturnValue) }
            }");
        Assert.Empty(errors);
        Assert.Contains(output, o => (string)o.Properties["Type"].Value == "Deserialized.PSSyscall.SyscallEvent");
        Assert.Contains(output, o => (string)o.Properties["Type"].Value == "Deserialized.PSSyscall.ProcessExitEvent");
        Assert.All(output, o => Assert.True((bool)o.Properties["Same"].Value));
    }
}
