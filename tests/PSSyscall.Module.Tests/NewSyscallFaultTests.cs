using System.Management.Automation;

namespace PSSyscall.Module.Tests;

public sealed class NewSyscallFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pssyscall-faultcmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesAFaultObjectWithEveryChoice()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("New-SyscallFault -Name openat, 'write*' -Errno ENOSPC -Occurrence 2..10+2 -Probability 0.5 -Seed 7 -PathLike '/tmp/*' -DelayExit 200ms");
        Assert.Empty(errors);
        var fault = Assert.IsType<SyscallFault>(Assert.Single(output).BaseObject);
        Assert.Equal("openat,write*", fault.Name);
        Assert.Equal("error=ENOSPC:delay_exit=200ms", fault.Effect);
        Assert.Equal("ENOSPC", fault.Errno);
        Assert.Equal(TimeSpan.FromMilliseconds(200), fault.DelayExit);
        Assert.Equal("2..10+2", fault.Occurrence);
        Assert.Equal((0.5, 7), (fault.Probability, fault.Seed!.Value));
        Assert.Contains("writev", fault.Syscalls.Split(','));
        Assert.Null(fault.ReturnValue);
    }

    [Fact]
    public void TakesNamesFromThePipeline()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("[pscustomobject]@{ Name = 'fsync' }, [pscustomobject]@{ Name = 'fdatasync' } | New-SyscallFault -Errno EIO");
        Assert.Empty(errors);
        Assert.Equal(["fsync", "fdatasync"], output.Select(o => ((SyscallFault)o.BaseObject).Name));
    }

    [Theory]
    [InlineData("New-SyscallFault write -Errno ENOSPC -ReturnValue 0", "ConflictingFaultEffects", ErrorCategory.InvalidArgument)]
    [InlineData("New-SyscallFault write -Errno ENOSPC -Probability 1.5", "InvalidProbability", ErrorCategory.InvalidArgument)]
    [InlineData("New-SyscallFault write -Errno ENOSPC -Probability -0.1", "InvalidProbability", ErrorCategory.InvalidArgument)]
    [InlineData("New-SyscallFault write -Errno ENOSPC -Occurrence '2..x'", "InvalidOccurrence", ErrorCategory.InvalidArgument)]
    [InlineData("New-SyscallFault write -Errno ENOSPACE", "UnknownErrno", ErrorCategory.ObjectNotFound)]
    [InlineData("New-SyscallFault write -Signal SIGFOO", "UnknownSignal", ErrorCategory.ObjectNotFound)]
    [InlineData("New-SyscallFault opnat -Errno ENOENT", "UnknownSyscall", ErrorCategory.ObjectNotFound)]
    [InlineData("New-SyscallFault write", "NoFaultEffect", ErrorCategory.InvalidArgument)]
    public void BadInputGivesSpecificErrors(string script, string id, ErrorCategory category)
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(script);
        Assert.Empty(output);
        ErrorRecord error = Assert.Single(errors);
        Assert.Equal(id + ",PSSyscall.Commands.NewSyscallFaultCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.Message));
        if (id == "UnknownSyscall")
            Assert.Matches("Did you mean .*'openat'", error.ErrorDetails!.Message);
    }

    [Theory]
    [InlineData("200", "unit")]
    [InlineData("1.5s", "quote it")]  // PowerShell has made it [short]2 already
    [InlineData("500us", "quote it")] // and this [ushort]500
    public void DelaysNeedAUnitPowerShellLeavesAlone(string delay, string advice)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError("New-SyscallFault nanosleep -DelayExit " + delay);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains(advice, error.Exception.Message);
    }

    [Theory]
    [InlineData("200ms", 200_000)]
    [InlineData("'1.5s'", 1_500_000)]
    [InlineData("'500us'", 500)]
    [InlineData("([TimeSpan]'0:0:2')", 2_000_000)]
    public void DelaysTakeUnits(string delay, long microseconds)
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("New-SyscallFault nanosleep -DelayEntry " + delay);
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), ((SyscallFault)output[0].BaseObject).DelayEntry);
    }

    [Fact]
    public void StartTracedProcessInjectsAndMarksTheEvents()
    {
        string file = Path.Combine(_dir, "data.txt");
        File.WriteAllText(file, "content\n");
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(
            "$fault = New-SyscallFault -Name openat -Errno ENOENT -PathLike $file\n" +
            "Start-TracedProcess -Inject $fault -- sh -c 'cat \"$1\" 2>/dev/null' sh $file | Where-Object Injected",
            new Dictionary<string, object?> { ["file"] = file });
        Assert.Empty(errors);
        var hit = Assert.IsType<SyscallEvent>(Assert.Single(output).BaseObject);
        Assert.Equal(("openat", "ENOENT", "error=ENOENT"), (hit.Name, hit.Errno, hit.Fault));
        Assert.Contains(" (INJECTED) <", hit.ToString());
        Assert.Equal(1, ps.GetVariable("LASTEXITCODE"));
    }

    [Fact]
    public void InjectComposesWithTheNameFilter()
    {
        // -Name write runs on the seccomp fast path; the openat fault must still take effect, and
        // only write calls are reported.
        string file = Path.Combine(_dir, "data.txt");
        File.WriteAllText(file, "content\n");
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(
            "$fault = New-SyscallFault -Name openat -Errno EACCES -PathLike $file\n" +
            "Start-TracedProcess -Name write -Inject $fault -- sh -c 'cat \"$1\" 2>/dev/null; echo status $? >/dev/null' sh $file",
            new Dictionary<string, object?> { ["file"] = file });
        Assert.Empty(errors);
        var events = output.Select(o => o.BaseObject).OfType<SyscallEvent>().ToList();
        Assert.All(events, e => Assert.Equal("write", e.Name));
        Assert.Contains(events, e => e.Arguments.Contains("\"status 1\\n\""));
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("txt")]
    public void InjectedEventsKeepTheirMarkInTraceFiles(string extension)
    {
        string file = Path.Combine(_dir, "data.txt");
        File.WriteAllText(file, "content\n");
        string trace = Path.Combine(_dir, "trace." + extension);
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(
            "$fault = New-SyscallFault -Name openat -Errno ENOENT -PathLike $file\n" +
            "Start-TracedProcess -Inject $fault -OutFile $trace -- sh -c 'cat \"$1\" 2>/dev/null' sh $file | Out-Null\n" +
            "Get-SyscallEvent -Path $trace | Where-Object Injected",
            new Dictionary<string, object?> { ["file"] = file, ["trace"] = trace });
        Assert.Empty(errors);
        var hit = Assert.IsType<SyscallEvent>(Assert.Single(output).BaseObject);
        Assert.Equal(("openat", "ENOENT", "error=ENOENT"), (hit.Name, hit.Errno, hit.Fault));
    }

    [Theory]
    [InlineData("New-SyscallFault write -Errno ENOS", "ENOSPC")]
    [InlineData("New-SyscallFault write -Signal SIGSE", "SIGSEGV")]
    [InlineData("New-SyscallFault fdata", "fdatasync")]
    public void CompletesErrnoSignalAndSyscallNames(string line, string expected)
    {
        using var ps = new HostedPowerShell();
        using PowerShell shell = PowerShell.Create(ps.Runspace);
        CommandCompletion completion = CommandCompletion.CompleteInput(line, line.Length, null, shell);
        Assert.Contains(expected, completion.CompletionMatches.Select(m => m.CompletionText));
    }
}
