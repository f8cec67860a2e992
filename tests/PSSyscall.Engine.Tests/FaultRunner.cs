using System.Diagnostics;
using System.IO.Pipes;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Engine.Tests;

/// <summary>What a program showed the world: its exit status (128 + signal when killed), output and errors.</summary>
public sealed record ProgramOutcome(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}, stdout '{Output}', stderr '{Error}'";
}

/// <summary>Runs a program under our fault injection, and under strace --inject (the oracle), and
/// returns what the program showed in each case.</summary>
public static class FaultRunner
{
    public static SyscallFault Fault(string names, string? errno = null, long? returnValue = null, string? signal = null,
        TimeSpan? delayEntry = null, TimeSpan? delayExit = null, string? occurrence = null, double? probability = null,
        int? seed = null, string? pathLike = null, int? processId = null)
        => SyscallFault.Create(new FaultDefinition
        {
            Names = names.Split(','),
            Errno = errno,
            ReturnValue = returnValue,
            Signal = signal,
            DelayEntry = delayEntry,
            DelayExit = delayExit,
            Occurrence = occurrence,
            Probability = probability,
            Seed = seed,
            PathLike = pathLike,
            ProcessId = processId,
        });

    /// <summary>Traces the program with the faults; returns its outcome and every event.</summary>
    public static (ProgramOutcome Outcome, List<TraceEvent> Events) Ours(SyscallFault[] faults, string command, params string[] args)
        => Ours(faults, filter: null, command, args);

    /// <summary>With a filter, as Start-TracedProcess -Name does: on the seccomp fast path.</summary>
    public static (ProgramOutcome Outcome, List<TraceEvent> Events) Ours(SyscallFault[] faults, SyscallFilter? filter, string command, params string[] args)
    {
        // Pipes, as strace's runs get them: programs such as cat copy file to file without read().
        using var stdout = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var stderr = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        Task<string> output = new StreamReader(stdout).ReadToEndAsync();
        Task<string> error = new StreamReader(stderr).ReadToEndAsync();
        LaunchOptions launch = TraceRunner.Launch(command, args);
        launch = new LaunchOptions
        {
            FilePath = launch.FilePath,
            ArgumentZero = launch.ArgumentZero,
            Arguments = launch.Arguments,
            Environment = launch.Environment,
            StandardInput = launch.StandardInput,
            StandardOutput = stdout.ClientSafePipeHandle.DangerousGetHandle().ToInt32(),
            StandardError = stderr.ClientSafePipeHandle.DangerousGetHandle().ToInt32(),
        };
        List<TraceEvent> events;
        int? exit;
        using (var session = TraceSession.Start(new PSSyscall.Engine.Tracing.TraceOptions { Launch = launch, Faults = faults, Filter = filter, UseSeccompStops = filter is not null }))
        {
            stdout.DisposeLocalCopyOfClientHandle(); // the child has its own: EOF when it ends
            stderr.DisposeLocalCopyOfClientHandle();
            events = session.ReadEvents().ToList();
            exit = session.ExitCode;
        }
        return (new ProgramOutcome(exit ?? -1, output.Result, error.Result), events);
    }

    /// <summary>Runs the program under strace with these options (e.g. "-e", "inject=read:retval=0");
    /// strace's own output goes to /dev/null, and its exit status is the program's (strace re-raises
    /// a fatal signal, which .NET reports as 128 + signal).</summary>
    public static ProgramOutcome Strace(string[] straceOptions, string command, params string[] args)
    {
        var psi = new ProcessStartInfo("strace")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string a in new[] { "-f", "-qq", "-o", "/dev/null" }.Concat(straceOptions).Append("--").Append(command).Concat(args))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ProgramOutcome(p.ExitCode, output, err.Result);
    }
}
