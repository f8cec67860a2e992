using System.Diagnostics;

namespace PSSyscall.Engine.Tests;

/// <summary>The deterministic C workload of the trace-file tests (tests/workloads/trace_store_workload.c),
/// compiled with gcc once per test run, and strace runs of it.</summary>
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

    private static string Compile()
    {
        string output = Path.Combine(Path.GetTempPath(), "pssyscall-trace-store-workload-" + Environment.ProcessId);
        Run("gcc", "-O1", "-pthread", "-o", output, SourceFile("trace_store_workload.c"));
        return output;
    }

    /// <summary>Runs strace with the given options around the workload; returns strace's exit code.</summary>
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
        if (p.ExitCode != 0 && file == "gcc")
            throw new InvalidOperationException("gcc failed: " + stderr.Result);
    }
}
