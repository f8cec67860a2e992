using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>The seccomp cmdlets in a hosted runspace: building, learning, testing, exporting, errors.</summary>
public class SeccompCmdletTests
{
    private static string DockerDefault => Path.Combine(HostedPowerShell.RepoRoot, "tests", "data", "seccomp", "docker-default.json");

    [Fact]
    public void NamesGroupsAndRulesBuildAFilterWhoseVerdictsTestSeesInTheBpf()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(@"
            $rule = New-SeccompRule -Name ioctl -Action Errno -ErrorNumber ENOTTY -Condition 'arg1 == 0x5401'
            $f = New-SeccompFilter -DefaultAction Errno -ErrorNumber EACCES -Allow read,write,'@basic-io' -Kill ptrace -Rule $rule
            Test-SeccompFilter $f -Name read, ptrace, openat
            Test-SeccompFilter $f -Name ioctl -Argument 1, 0x5401
            Test-SeccompFilter $f -Name ioctl -Argument 1, 0x5402
            Test-SeccompFilter $f -Name read -Architecture I386");
        Assert.Empty(errors);
        var actions = output.Select(o => ((SeccompTestResult)o.BaseObject).Action).ToArray();
        Assert.Equal(new[] { "Allow", "KillProcess", "Errno(13)", "Errno(25)", "Errno(13)", "KillProcess" }, actions);
    }

    [Fact]
    public void LearnsAnAllowlistFromMixedTraceOutputWithoutBindingErrors()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run(@"
            $f = Start-TracedProcess -- sh -c 'ls / > /dev/null; kill -s USR1 $$ 2>/dev/null; exit 0' | New-SeccompFilter -DefaultAction Errno
            $f
            Test-SeccompFilter $f -Name getdents64, execve, exit_group, unshare | ForEach-Object Action");
        Assert.Empty(errors);
        var filter = Assert.IsType<SeccompFilter>(output[0].BaseObject);
        Assert.Equal(SeccompAction.Errno(1), filter.DefaultAction);
        Assert.Equal(new object[] { "Allow", "Allow", "Allow", "Errno(1)" }, output.Skip(1).Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void DockerProfileExportsToJsonThatReadsBackToTheSameProgram()
    {
        using var ps = new HostedPowerShell();
        string json = Path.Combine(Path.GetTempPath(), $"pssyscall-seccomp-{Guid.NewGuid():n}.json");
        try
        {
            var (output, errors) = ps.Run(@"
                $docker = New-SeccompFilter -Path $profilePath
                Export-SeccompFilter $docker -Path $jsonPath
                $again = New-SeccompFilter -Path $jsonPath
                $a = Export-SeccompFilter $docker -Format Bpf
                $b = Export-SeccompFilter $again -Format Bpf
                [Convert]::ToBase64String($a) -eq [Convert]::ToBase64String($b)
                $a.Length % 8
                (Test-SeccompFilter $again -Name mount).Action",
                new Dictionary<string, object?> { ["profilePath"] = DockerDefault, ["jsonPath"] = json });
            Assert.Empty(errors);
            Assert.Equal(new object[] { true, 0, "Errno(1)" }, output.Select(o => o.BaseObject).ToArray());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("New-SeccompFilter -Allow opnat", "UnknownSyscall", ErrorCategory.ObjectNotFound, "Did you mean 'openat'?")]
    [InlineData("New-SeccompFilter -Deny '@file-sytem'", "UnknownGroup", ErrorCategory.ObjectNotFound, "'@file-system'")]
    [InlineData("New-SeccompFilter -DefaultAction Alow", "UnknownAction", ErrorCategory.InvalidArgument, "'Allow'")]
    [InlineData("New-SeccompRule -Name read -Action Errno -Condition 'arg6 == 1'", "ArgumentIndexOutOfRange", ErrorCategory.InvalidArgument, "arg0 to arg5")]
    [InlineData("New-SeccompRule -Name read -Action Errno -Condition 'arg0 === 1'", "InvalidCondition", ErrorCategory.InvalidArgument, "argN")]
    [InlineData("New-SeccompRule -Name read -Action Errno -ErrorNumber EPREM", "UnknownErrno", ErrorCategory.InvalidArgument, "'EPERM'")]
    [InlineData("Test-SeccompFilter (New-SeccompFilter -Allow read) -Name readd", "UnknownSyscall", ErrorCategory.ObjectNotFound, "'read'")]
    [InlineData("Get-SeccompGroup netwrk-io", "UnknownGroup", ErrorCategory.ObjectNotFound, "'@network-io'")]
    public void BadInputGivesSpecificErrors(string script, string id, ErrorCategory category, string hint)
    {
        using var ps = new HostedPowerShell();
        ErrorRecord error = ps.RunExpectingError(script);
        Assert.StartsWith(id, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(hint, error.ErrorDetails?.Message ?? error.Exception.Message);
    }

    /// <summary>With libseccomp.so.2 hidden (a /dev/null bind-mounted over it in a private mount
    /// namespace), the pssyscall shell reports LibSeccompMissing with how to install it.</summary>
    [Fact]
    public void MissingLibseccompIsReportedWithHowToInstallIt()
    {
        Assert.True(PSSyscall.Engine.Native.LibSeccomp.IsAvailable);
        string library = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .First(p => p.Contains("libseccomp.so", StringComparison.Ordinal));
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string shell = Path.Combine(HostedPowerShell.RepoRoot, "src", "PSSyscall.Shell", "bin", configuration, "net10.0", "PSSyscall.Shell.dll");
        Assert.True(File.Exists(shell), $"The pssyscall shell is not built at {shell} (dotnet test PSSyscall.sln builds it).");
        var psi = new System.Diagnostics.ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-m", "--", "sh", "-c", "mount --bind /dev/null \"$0\" && exec dotnet \"$1\" -Command \"$2\"", library, shell,
                     "try { New-SeccompFilter -Allow read } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString(); $_.ErrorDetails.Message }" })
            psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(output.Contains("LibSeccompMissing,PSSyscall.Commands.NewSeccompFilterCommand"), output + errors);
        Assert.Contains("NotInstalled", output);
        Assert.Contains("apt-get install libseccomp2", output);
    }

    [Theory]
    [InlineData("New-SeccompFilter -Allow '@file-s", "'@file-system'")]
    [InlineData("New-SeccompFilter -Group net", "'@network-io'")]
    [InlineData("New-SeccompFilter -Deny opena", "openat")]
    [InlineData("New-SeccompRule -Name read -Action Kil", "KillProcess")]
    public void CompletesNamesGroupsAndActions(string line, string expected)
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText",
            new Dictionary<string, object?> { ["line"] = line });
        Assert.Empty(errors);
        Assert.Contains(expected, output.Select(o => o.BaseObject as string));
    }

    [Fact]
    public void MalformedJsonReportsItsLineAndPosition()
    {
        using var ps = new HostedPowerShell();
        string file = Path.Combine(Path.GetTempPath(), $"pssyscall-bad-{Guid.NewGuid():n}.json");
        File.WriteAllText(file, "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [ { \"names\": [\"read\"] \"action\": \"SCMP_ACT_ALLOW\" } ]\n}\n");
        try
        {
            ErrorRecord error = ps.RunExpectingError($"New-SeccompFilter -Path '{file}'");
            Assert.StartsWith("InvalidProfile", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("line 3, position", error.ErrorDetails.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
