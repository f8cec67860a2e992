using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>One It's outcome from tests/Pester/Runner/PesterCompat.psm1.</summary>
public sealed record PesterResult(string Id, string Name, string File, int Line, string Outcome, string Message);

/// <summary>
/// Drives the Pester-compatible runner (tests/Pester/Runner/PesterCompat.psm1) in a hosted
/// runspace with the module imported: discovery for xunit's test list, and one run per file whose
/// results every It's xunit case reads.
/// </summary>
public static class PesterRunner
{
    public static string PesterDirectory { get; } = Path.Combine(HostedPowerShell.RepoRoot, "tests", "Pester");
    public static string RunnerModule { get; } = Path.Combine(PesterDirectory, "Runner", "PesterCompat.psm1");

    /// <summary>A file that runs longer than this is stopped and its Its fail: a hang must not
    /// hang the test run.</summary>
    public static TimeSpan FileTimeout { get; } = TimeSpan.FromMinutes(5);

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<PesterResult>>> Runs = new();

    public static IEnumerable<string> TestFiles()
        => Directory.GetFiles(PesterDirectory, "*.Tests.ps1").OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Discovery only: the Its of a file, with their Ids ("File &gt; Describe &gt; It").</summary>
    public static IReadOnlyList<PesterResult> Discover(string file) => Invoke(file, discoveryOnly: true, FileTimeout);

    /// <summary>Discovers and runs a file in a fresh runspace.</summary>
    public static IReadOnlyList<PesterResult> Run(string file, TimeSpan? timeout = null) => Invoke(file, discoveryOnly: false, timeout ?? FileTimeout);

    /// <summary>The results of running a file, run once per test process however many Its ask.</summary>
    public static IReadOnlyList<PesterResult> RunOnce(string file)
        => Runs.GetOrAdd(Path.GetFullPath(file), f => new Lazy<IReadOnlyList<PesterResult>>(() => Run(f))).Value;

    static PesterRunner()
    {
        // dotnet test starts the test host in its output folder but passes on the PWD of the shell
        // it was started from. A shell started by a test (sh -c ..., strace -- sh ...) whose PWD
        // does not name its working directory calls getcwd, which a shell started from a shell
        // would not: make PWD true, as a login shell's is.
        Environment.SetEnvironmentVariable("PWD", Environment.CurrentDirectory);
    }

    private static IReadOnlyList<PesterResult> Invoke(string file, bool discoveryOnly, TimeSpan timeout)
    {
        using var host = new HostedPowerShell();
        using (PowerShell import = PowerShell.Create(host.Runspace))
            import.AddCommand("Import-Module").AddParameter("Name", RunnerModule).Invoke();
        // One command, not a batch (AddStatement): a batch's async handle is signalled before its
        // last statement ends, and the runspace would be disposed under it.
        using PowerShell ps = PowerShell.Create(host.Runspace);
        // The runner records the It it is in, so a file that hangs names the It that hung.
        var progress = Hashtable.Synchronized(new Hashtable());
        ps.AddCommand("Invoke-PesterCompat").AddParameter("Path", file)
          .AddParameter("DiscoveryOnly", discoveryOnly).AddParameter("Progress", progress);
        IAsyncResult pending = ps.BeginInvoke();
        if (!pending.AsyncWaitHandle.WaitOne(timeout))
        {
            // Stop as Ctrl+C would (StopProcessing ends a trace); don't wait forever for that either.
            ps.BeginStop(null, null).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"{file} did not finish within {timeout}; it was running '{progress["Current"] ?? "(discovery)"}'.");
        }
        var output = ps.EndInvoke(pending);
        if (ps.Streams.Error.Count > 0)
        {
            ErrorRecord e = ps.Streams.Error[0];
            throw new InvalidOperationException($"The Pester runner failed on {file}: {e}\n{e.ScriptStackTrace}");
        }
        return output.Select(o => new PesterResult(
            (string)o.Properties["Id"].Value,
            (string)o.Properties["Name"].Value,
            (string)o.Properties["File"].Value,
            Convert.ToInt32(o.Properties["Line"].Value),
            (string)o.Properties["Outcome"].Value,
            (string)(o.Properties["Message"].Value ?? ""))).ToList();
    }
}
