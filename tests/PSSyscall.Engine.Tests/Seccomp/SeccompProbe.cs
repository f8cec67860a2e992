using System.Diagnostics;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>What the kernel did with one probed call (see seccomp-probe.c).</summary>
public readonly record struct ProbeOutcome(int? ExitCode, int? Signal)
{
    public static ProbeOutcome Exited(int code) => new(code, null);
    public static ProbeOutcome KilledBy(int signal) => new(null, signal);
    public override string ToString() => Signal is int s ? $"killed by signal {s}" : $"exit {ExitCode}";
}

/// <summary>
/// Runs real system calls under real filters: compiles seccomp-probe.c once, then starts it
/// through the engine's one spawn path with a compiled filter installed right before execve.
/// </summary>
public static class SeccompProbe
{
    public const int Sigsys = 31, ThreadKilled = 200, Trapped = 201, Enosys = 38;

    private static readonly Lazy<string> Binary = new(Compile);

    /// <summary>The calls the probe itself needs before and after the probed call.</summary>
    public static readonly string[] InfrastructureCalls = { "execve", "rt_sigaction", "clone", "futex", "exit", "exit_group" };

    public static string Path => Binary.Value;

    private static string Compile()
    {
        string dir = Directory.CreateTempSubdirectory("pssyscall-seccomp-").FullName;
        string output = System.IO.Path.Combine(dir, "seccomp-probe");
        string source = System.IO.Path.Combine(AppContext.BaseDirectory, "Seccomp", "seccomp-probe.c");
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-O1", "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector", "-fno-pie", "-no-pie",
                     "-fomit-frame-pointer", "-fcf-protection=none", "-o", output, source })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string errors = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException("gcc failed on seccomp-probe.c: " + errors);
        return output;
    }

    /// <summary>Adds the probe's own calls (Allow, unconditional) in front of a filter's rules.
    /// Probed calls must be others than these.</summary>
    public static SeccompFilter WithInfrastructure(SeccompFilter filter)
    {
        var copy = filter.Copy();
        copy.Rules.Insert(0, new SeccompRule(InfrastructureCalls, SeccompAction.Allow));
        return copy;
    }

    public static ProbeOutcome Run(CompiledSeccompFilter filter, SyscallArchitecture abi, int number, params ulong[] args)
    {
        string abiName = abi switch { SyscallArchitecture.I386 => "32", SyscallArchitecture.X32 => "x32", _ => "64" };
        var argv = new List<string> { abiName, number.ToString() };
        argv.AddRange(args.Select(a => "0x" + a.ToString("x")));
        return Run(new LaunchOptions
        {
            FilePath = Path,
            Arguments = argv,
            SeccompProgram = filter.Program,
            SeccompFlags = (uint)filter.Flags,
            NoNewPrivileges = true,
        });
    }

    /// <summary>Spawns, checks the exec succeeded, and waits for the child's end.</summary>
    public static ProbeOutcome Run(LaunchOptions options)
    {
        using SpawnedProcess child = ProcessLauncher.Spawn(options);
        LaunchReport report = ProcessLauncher.ReadReport(child);
        int status;
        while (Libc.waitpid(child.ProcessId, out status, Libc.__WALL) < 0)
        {
            if (Libc.LastError != Libc.EINTR)
                throw new InvalidOperationException("waitpid failed: " + Libc.ErrorText(Libc.LastError));
        }
        if (!report.Succeeded)
            throw new InvalidOperationException(ProcessLauncher.DescribeFailure(report, options.FilePath));
        return Libc.WIFSIGNALED(status) ? ProbeOutcome.KilledBy(Libc.WTERMSIG(status)) : ProbeOutcome.Exited(Libc.WEXITSTATUS(status));
    }

    /// <summary>What the probe reports for a verdict of the emulator, on this machine: Trace without
    /// a tracer and Notify without a listener fail with ENOSYS; an x32 call the filter lets through
    /// also fails with ENOSYS, as this kernel is built without the x32 ABI (CONFIG_X86_X32_ABI).</summary>
    public static ProbeOutcome Expected(SeccompTestResult verdict) => verdict.ActionKind switch
    {
        SeccompActionKind.Allow or SeccompActionKind.Log => verdict.Architecture == SyscallArchitecture.X32 && !X32Enabled
            ? ProbeOutcome.Exited(Enosys) : ProbeOutcome.Exited(0),
        SeccompActionKind.Errno => ProbeOutcome.Exited(verdict.ErrorNumber!.Value),
        SeccompActionKind.Trace or SeccompActionKind.Notify => ProbeOutcome.Exited(Enosys),
        SeccompActionKind.KillThread => ProbeOutcome.Exited(ThreadKilled),
        SeccompActionKind.Trap => ProbeOutcome.Exited(Trapped),
        _ => ProbeOutcome.KilledBy(Sigsys),
    };

    /// <summary>Whether this kernel runs x32 calls (probed once, without a filter).</summary>
    public static bool X32Enabled => X32.Value;

    private static readonly Lazy<bool> X32 = new(() =>
        Run(new LaunchOptions { FilePath = Path, Arguments = new[] { "x32", "39" } }) != ProbeOutcome.Exited(Enosys));
}
