using System.Diagnostics;
using PSSyscall.Engine.Sandbox;

namespace PSSyscall.Engine.Tests.Sandbox;

/// <summary>Runs commands in the sandbox to the end, and builds the test program.</summary>
public static class SandboxRunner
{
    public sealed record Run(List<string> Output, List<string> Errors, List<SeccompViolation> Violations, SandboxResult Result, IReadOnlyList<string> Notices);

    public static Run Execute(SandboxOptions options)
    {
        using var session = SandboxSession.Start(options);
        var output = new List<string>();
        var errors = new List<string>();
        var violations = new List<SeccompViolation>();
        foreach (SandboxMessage m in session.ReadMessages())
        {
            switch (m.Kind)
            {
                case SandboxMessageKind.Output: output.Add(m.Text!); break;
                case SandboxMessageKind.Error: errors.Add(m.Text!); break;
                default: violations.Add(m.Violation!); break;
            }
        }
        return new Run(output, errors, violations, session.Result!, session.Notices);
    }

    public static SandboxOptions Options(string command, params string[] args) => new()
    {
        FilePath = Tracing.ExecutableResolver.Resolve(command, Environment.CurrentDirectory),
        ArgumentZero = command,
        Arguments = args,
    };

    private static readonly Lazy<string> ProbePath = new(() => Compile("sandbox_probe"));

    /// <summary>The compiled sandbox_probe.c (see that file for its commands).</summary>
    public static string Probe => ProbePath.Value;

    public static string Compile(string name)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Sandbox", name + ".c");
        string dir = Path.Combine(Path.GetTempPath(), "pssyscall-sandbox-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string output = Path.Combine(dir, name);
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O0", "-o", output, source]) { RedirectStandardError = true })!;
        string stderr = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
            throw new InvalidOperationException("gcc failed: " + stderr);
        return output;
    }
}
