using System.Diagnostics;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Tests.Sandbox;

/// <summary>Runs commands in the sandbox to the end, and builds the programs and policies the
/// sandbox tests use.</summary>
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

    /// <summary>A policy that allows everything except the named calls, which fail with EPERM, on
    /// x86_64, i386 and x32, compiled by libseccomp.</summary>
    public static byte[] DenyPolicy(params string[] names) => Policy(LibSeccomp.ActAllow, LibSeccomp.ActErrno(1), names);

    public static byte[] Policy(uint defaultAction, uint action, params string[] names)
    {
        using var ctx = new SeccompContext(defaultAction);
        ctx.AddArchitecture(LibSeccomp.ArchX86);
        ctx.AddArchitecture(LibSeccomp.ArchX32);
        foreach (string name in names)
        {
            int nr = SeccompContext.ResolveName(LibSeccomp.ArchNative, name) ?? throw new ArgumentException(name);
            int rc = ctx.AddRule(action, nr, ReadOnlySpan<LibSeccomp.ArgCmp>.Empty);
            if (rc < 0)
                throw new InvalidOperationException($"seccomp_rule_add({name}) = {rc}");
        }
        return ctx.ExportBpf();
    }
}
