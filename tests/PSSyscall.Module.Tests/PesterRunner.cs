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

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<PesterResult>>> Runs = new();

    public static IEnumerable<string> TestFiles()
        => Directory.GetFiles(PesterDirectory, "*.Tests.ps1").OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Discovery only: the Its of a file, with their Ids ("File &gt; Describe &gt; It").</summary>
    public static IReadOnlyList<PesterResult> Discover(string file) => Invoke(file, discoveryOnly: true);

    /// <summary>Discovers and runs a file in a fresh runspace.</summary>
    public static IReadOnlyList<PesterResult> Run(string file) => Invoke(file, discoveryOnly: false);

    /// <summary>The results of running a file, run once per test process however many Its ask.</summary>
    public static IReadOnlyList<PesterResult> RunOnce(string file)
        => Runs.GetOrAdd(Path.GetFullPath(file), f => new Lazy<IReadOnlyList<PesterResult>>(() => Run(f))).Value;

    private static IReadOnlyList<PesterResult> Invoke(string file, bool discoveryOnly)
    {
        using var host = new HostedPowerShell();
        using PowerShell ps = PowerShell.Create(host.Runspace);
        ps.AddCommand("Import-Module").AddParameter("Name", RunnerModule)
          .AddStatement().AddCommand("Invoke-PesterCompat").AddParameter("Path", file).AddParameter("DiscoveryOnly", discoveryOnly);
        var output = ps.Invoke();
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
