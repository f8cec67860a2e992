using System.Diagnostics;
using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>Ctrl+C (StopProcessing), a downstream failure and the shell's own Ctrl+C all end the
/// trace within a second and leave no process behind.</summary>
public class StartTracedProcessStopTests
{
    [Fact]
    public void StopProcessingKillsTheTracedTree()
    {
        using var ps = new HostedPowerShell();
        using PowerShell shell = PowerShell.Create(ps.Runspace);
        shell.AddScript("Start-TracedProcess -- sh -c 'sleep 30 & sleep 30; wait' | ForEach-Object { $global:seen = $_.ProcessId }");
        IAsyncResult run = shell.BeginInvoke();
        int[] tree = WaitForTree("sleep 30", 2);
        var sw = Stopwatch.StartNew();
        shell.Stop(); // what Ctrl+C does in pwsh
        Assert.True(run.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the pipeline did not stop");
        Assert.True(ProcessTree.AllGoneWithin(tree, TimeSpan.FromSeconds(1)), $"left behind after {sw.Elapsed}: {string.Join(", ", tree.Where(ProcessTree.IsLive))}");
    }

    [Fact]
    public void DownstreamFailureKillsTheTracedTree()
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError("Start-TracedProcess -- sh -c 'while :; do /bin/true; done' | ForEach-Object { $global:pid0 = $_.ProcessId; throw 'enough' }");
        Assert.Contains("enough", error.ToString());
        int pid = Convert.ToInt32(ps.GetVariable("pid0"));
        Assert.True(ProcessTree.AllGoneWithin(new[] { pid }, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AttachByIdThenStopDetachesAndTheProcessLivesOn()
    {
        // A child of the host, as Start-Process makes one in pwsh: .NET's own waitpid calls take its
        // ptrace stops now and then, which the tracer must recover from. .NET may then take the
        // stolen stop for an exit (Process.HasExited, Kill), so the test asks /proc and kill(2).
        // Not "sleep 30": StopProcessingKillsTheTracedTree looks for its own by that command line.
        using var sleep = Process.Start("sleep", "31");
        try
        {
            using var ps = new HostedPowerShell();
            using PowerShell shell = PowerShell.Create(ps.Runspace);
            shell.AddScript($"Start-TracedProcess -Id {sleep.Id}");
            IAsyncResult run = shell.BeginInvoke();
            Thread.Sleep(500);
            shell.Stop();
            Assert.True(run.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the pipeline did not stop");
            Assert.True(ProcessTree.IsLive(sleep.Id), "the attached process did not live on");
            Assert.Equal("0", ProcessTree.Status(sleep.Id, "TracerPid"));
            Assert.Equal("S", ProcessTree.Status(sleep.Id, "State")?[..1]); // sleeping again, not stopped
        }
        finally
        {
            kill(sleep.Id, 9);
        }
    }

    [Fact]
    public void AttachToAProcessThatIsNotTraceableIsAClearError()
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError($"Start-TracedProcess -Id {Environment.ProcessId}");
        Assert.Equal("AttachDenied,PSSyscall.Commands.StartTracedProcessCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal(Environment.ProcessId.ToString(), error.TargetObject?.ToString());
    }

    [Fact]
    public void ShellCtrlCStopsThePipelineAndTheTracee()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { ShellDll, "-Command", "Start-TracedProcess sleep 37 | Out-Null; 'after'" })
            psi.ArgumentList.Add(a);
        using var shell = Process.Start(psi)!;
        int[] tree = WaitForTree("sleep 37", 1, shell.Id);
        Assert.Equal(0, kill(shell.Id, 2 /* SIGINT, what the terminal sends on Ctrl+C */));
        Assert.True(shell.WaitForExit(10_000), "the shell did not stop");
        Assert.True(ProcessTree.AllGoneWithin(tree, TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain("after", shell.StandardOutput.ReadToEnd()); // the whole pipeline stopped
    }

    [Fact]
    public void ShellExitsNonZeroWhenTheScriptFails()
    {
        Assert.Equal(1, RunShell("Start-TracedProcess no-such-command-xyz"));
        Assert.Equal(7, RunShell("exit 7"));
        Assert.Equal(0, RunShell("Start-TracedProcess /bin/true | Out-Null"));
    }

    private static string ShellDll => HostedPowerShell.ShellPath;

    private static int RunShell(string script)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { ShellDll, "-Command", script })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    private static int[] WaitForTree(string commandLine, int count, int? root = null)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            int[] found = ProcessTree.FindByCommandLine(commandLine, root);
            if (found.Length >= count)
                return found;
            Thread.Sleep(50);
        }
        throw new Xunit.Sdk.XunitException($"'{commandLine}' never started");
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int kill(int pid, int sig);
}
