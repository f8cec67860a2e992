using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>Start-TracedProcess's filter parameters, through a real runspace.</summary>
public class StartTracedProcessFilterTests
{
    [Fact]
    public void NameFilterReportsOnlyThoseCallsWithDecodedArguments()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Start-TracedProcess -Name 'open*' -StringLimit 8 cat /etc/hostname | Where-Object EventType -eq Syscall");
        Assert.Empty(errors);
        var events = output.Select(o => (SyscallEvent)o.BaseObject).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.StartsWith("open", e.Name));
        SyscallEvent host = Assert.Single(events, e => e.Path == "/etc/hostname");
        Assert.StartsWith("AT_FDCWD<", host.Arguments);
        Assert.Contains("\"/etc/hostname\", O_RDONLY", host.Arguments);
        Assert.Equal("3</etc/hostname>", host.Result);
        Assert.Equal(SyscallClass.File | SyscallClass.Desc, host.Class);
    }

    [Fact]
    public void ClassFailedAndPathFiltersCombine()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Start-TracedProcess -Class File -Failed -- sh -c 'cat /nonexistent-file; true' 2>$null | Where-Object EventType -eq Syscall");
        Assert.Empty(errors);
        var events = output.Select(o => (SyscallEvent)o.BaseObject).ToList();
        Assert.Contains(events, e => e.Path == "/nonexistent-file" && e.Result == "-1 ENOENT (No such file or directory)");
        Assert.All(events, e => Assert.NotNull(e.Errno));
        Assert.All(events, e => Assert.True((e.Class & SyscallClass.File) != 0));

        (output, errors) = ps.Run("Start-TracedProcess -Path /etc/hostname cat /etc/hostname | Where-Object EventType -eq Syscall");
        Assert.Empty(errors);
        var names = output.Select(o => ((SyscallEvent)o.BaseObject).Name).ToList();
        Assert.Contains("openat", names);
        Assert.Contains("read", names);
        Assert.DoesNotContain("mmap", names);
    }

    [Theory]
    [InlineData("Start-TracedProcess -Name opnat cat /etc/hostname", "UnknownSyscall", "Did you mean 'openat'")]
    [InlineData("Start-TracedProcess -Class netwrk cat /etc/hostname", "UnknownSyscallClass", "Did you mean 'Network'")]
    [InlineData("Start-TracedProcess -Failed -Successful cat /etc/hostname", "ContradictoryFilter", "exclude each other")]
    [InlineData("Start-TracedProcess -Name read -ExcludeName read cat /etc/hostname", "ContradictoryFilter", "both included")]
    public void BadFiltersGiveSpecificErrors(string script, string id, string message)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError(script);
        Assert.StartsWith(id, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.ErrorDetails?.Message ?? error.Exception.Message);
    }

    [Fact]
    public void NegativeStringLimitIsRefused()
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError("Start-TracedProcess -StringLimit -1 cat /etc/hostname");
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        Assert.Contains("StringLimit", error.Exception.Message);
    }
}
