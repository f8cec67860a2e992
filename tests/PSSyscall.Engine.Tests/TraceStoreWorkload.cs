using System.Diagnostics;

namespace PSSyscall.Engine.Tests;

/// <summary>The deterministic C workload of the trace-file tests (tests/workloads/trace_store_workload.c),
/// compiled with gcc on first use, and strace runs of it.</summary>
public static class TraceStoreWorkload
{
    private static readonly Lazy<string> Binary = new(Compile);

    public static string Program => Binary.Value;

    /// <summary>A fresh directory for the workload's files.</summary>
    public static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pssyscall-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string SourceFile(string name)
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "tests", "workloads", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("Cannot find the test workload source.", name);
    }

    // Compiled once and cached by content with the other test programs.
    private static string Compile() => TestPrograms.Compile(File.ReadAllText(SourceFile("trace_store_workload.c")));

    /// <summary>Runs strace with the given options and arguments, to the end.</summary>
    public static void Strace(params string[] args) => Run("strace", args);

    public static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
    }
}
