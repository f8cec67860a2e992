using System.Management.Automation;

namespace PSSyscall.Module.Tests;

public class InvokeSandboxedTests
{
    private static readonly string DockerDefault = Path.Combine(HostedPowerShell.RepoRoot, "tests", "data", "seccomp", "docker-default.json");

    [Fact]
    public void DockersProfileDeniesUnshareAndReportsItAsWarningAndResult()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Invoke-Sandboxed -Path $profile -PassThru -- sh -c 'echo start; unshare -U true; echo rc=$?' 3>&1",
            new Dictionary<string, object?> { ["profile"] = DockerDefault });
        Assert.Equal(["start", "rc=1"], output.Where(o => o.BaseObject is string).Select(o => (string)o.BaseObject));
        WarningRecord warning = Assert.Single(output.Select(o => o.BaseObject).OfType<WarningRecord>());
        Assert.Contains("unshare(CLONE_NEWUSER)", warning.Message);
        Assert.Contains("Errno(EPERM)", warning.Message);
        SandboxResult result = Assert.Single(output.Select(o => o.BaseObject).OfType<SandboxResult>());
        SeccompViolation v = Assert.Single(result.Violations);
        Assert.Equal(("unshare", "unshare", "EPERM"), (v.Name, v.ProcessName, v.Errno));
        // unshare(1) says why on stderr, which arrives as an error record.
        Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("NativeCommandError") && e.ToString().Contains("Operation not permitted"));
        Assert.Equal(0, ps.GetVariable("LASTEXITCODE"));
    }

    [Fact]
    public void AFilterObjectIsEnforcedAndAuditOnlyLetsTheCallRun()
    {
        var filter = new SeccompFilter { Rules = { new SeccompRule(["unshare"], SeccompAction.Errno(13)) } };
        using var ps = new HostedPowerShell();
        var vars = new Dictionary<string, object?> { ["f"] = filter };
        var (enforced, _) = ps.Run("Invoke-Sandboxed -Filter $f -- sh -c 'unshare -U true 2>/dev/null; echo $?' 3>$null", vars);
        Assert.Equal("1", enforced.Single().BaseObject);
        var (audited, _) = ps.Run("Invoke-Sandboxed -Filter $f -AuditOnly -PassThru -- sh -c 'unshare -U true; echo $?' 3>$null", vars);
        Assert.Equal("0", audited[0].BaseObject);
        SandboxResult result = (SandboxResult)audited[1].BaseObject;
        SeccompViolation v = Assert.Single(result.Violations);
        Assert.Equal(("Errno(EACCES)", false), (v.Action, v.Enforced));
    }

    [Fact]
    public void LearnThenEnforce()
    {
        using var ps = new HostedPowerShell();
        var (output, _) = ps.Run(@"
            $f = Start-TracedProcess -- ls / | New-SeccompFilter -DefaultAction Errno
            $learned = $f.Rules | ForEach-Object { $_.Names }
            $same = Invoke-Sandboxed -Filter $f -PassThru -- ls /
            $more = Invoke-Sandboxed -Filter $f -PassThru -- ls -l / 2>$null 3>$null
            $same[-1]; $more[-1]; ,$learned");
        var same = (SandboxResult)output[0].BaseObject;
        var more = (SandboxResult)output[1].BaseObject;
        var learned = ((object[])output[2].BaseObject).Select(o => o.ToString()).ToHashSet();
        // What the trace saw runs unchanged; what ls -l does beyond it is stopped and reported.
        Assert.Equal((0, 0), (same.ExitCode, same.ViolationCount));
        Assert.NotEmpty(more.Violations);
        Assert.All(more.Violations, v => Assert.DoesNotContain(v.Name, learned));
        Assert.All(more.Violations, v => Assert.Equal("Errno(EPERM)", v.Action));
    }

    [Fact]
    public void StdoutIsOutputStderrIsErrorsAndLastExitCodeIsSet()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Invoke-Sandboxed -- sh -c 'echo out; echo err >&2; exit 4'");
        Assert.Equal("out", Assert.Single(output).BaseObject);
        Assert.Equal("err", Assert.Single(errors).ToString());
        Assert.Equal(4, ps.GetVariable("LASTEXITCODE"));
    }

    [Fact]
    public void TheEnvironmentCanBeClearedAndSet()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Invoke-Sandboxed -ClearEnvironment -Environment @{ GREETING = 'hello' } /usr/bin/env");
        Assert.Empty(errors);
        Assert.Equal("GREETING=hello", Assert.Single(output).BaseObject);
    }

    [Fact]
    public void NoCaptureKeepsOutputOutOfThePipeline()
    {
        using var ps = new HostedPowerShell();
        var (output, _) = ps.Run("Invoke-Sandboxed -NoCapture -PassThru -- sh -c 'echo to-the-terminal; exit 2'");
        SandboxResult result = Assert.IsType<SandboxResult>(Assert.Single(output).BaseObject);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void TimeoutKillsTheCommandAndSaysSo()
    {
        using var ps = new HostedPowerShell();
        var (output, _) = ps.Run("Invoke-Sandboxed -Timeout 00:00:01 -PassThru sleep 60 3>&1");
        Assert.Contains(output, o => o.BaseObject is WarningRecord w && w.Message.Contains("did not end within"));
        SandboxResult result = output.Select(o => o.BaseObject).OfType<SandboxResult>().Single();
        Assert.True(result.TimedOut);
        Assert.Equal("SIGKILL", result.Signal);
        Assert.Equal(137, ps.GetVariable("LASTEXITCODE"));
    }

    [Fact]
    public void StoppingThePipelineKillsTheCommand()
    {
        using var ps = new HostedPowerShell();
        using PowerShell shell = PowerShell.Create(ps.Runspace);
        shell.AddScript("Invoke-Sandboxed -- sh -c 'echo $$; exec sleep 60'");
        var output = new PSDataCollection<PSObject>();
        var firstLine = new ManualResetEventSlim();
        output.DataAdded += (_, _) => firstLine.Set();
        IAsyncResult running = shell.BeginInvoke<PSObject, PSObject>(null, output);
        Assert.True(firstLine.Wait(TimeSpan.FromSeconds(30)));
        int pid = int.Parse((string)output[0].BaseObject);
        shell.Stop(); // what Ctrl+C does
        Assert.True(running.IsCompleted);
        Assert.True(!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'), $"process {pid} survived");
    }

    [Theory]
    [InlineData("Invoke-Sandboxed no-such-command-xyz", "CommandNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Sandboxed /bin/true -ReadOnlyPath /no/such/dir", "SandboxPathNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Sandboxed /bin/true -Path /no/such/profile.json", "ProfileNotFound", ErrorCategory.InvalidData)]
    [InlineData("Invoke-Sandboxed /bin/true -ReadOnlyPath /", "CommandNotExecutable", ErrorCategory.PermissionDenied)]
    public void SetupFailuresAreSpecificErrors(string script, string id, ErrorCategory category)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError(script);
        Assert.StartsWith(id, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (!id.StartsWith("CommandNotFound") && !id.StartsWith("ProfileNotFound"))
            Assert.Contains("did not run", error.ErrorDetails.Message);
    }
}
