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

    /// <summary>Live (not zombie) processes on the host whose arguments include the marker: the
    /// processes a test started, found by what they carry, whatever pid namespace printed their ids.</summary>
    public static List<int> LiveProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string[] argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (argv.Contains(marker) && !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    found.Add(pid);
            }
            catch (IOException)
            {
                // ended while we looked
            }
        }
        return found;
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

    private static readonly Lazy<string> EscapePath = new(() => Compile("sandbox_escape"));

    /// <summary>The compiled sandbox_escape.c: the review's ways out, one command each.</summary>
    public static string Escape => EscapePath.Value;

    /// <summary>The control: runs a program outside any sandbox (as the tests' user) and returns
    /// its stdout lines.</summary>
    public static List<string> RunOutside(string program, params string[] args) => RunOutsideWithExit(program, args).Output;

    /// <summary>As <see cref="RunOutside"/>, with the exit code (128 + the signal that ended it).</summary>
    public static (List<string> Output, int ExitCode) RunOutsideWithExit(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList(), p.ExitCode);
    }

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
