namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>What a user asks for, before it is checked and resolved into a <see cref="SyscallFault"/>
/// (New-SyscallFault's parameters, one for one).</summary>
public sealed class FaultDefinition
{
    /// <summary>Syscall names, wildcards (open*) and classes (%file).</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>An errno name (ENOSPC) or number (1..4095): the call is skipped and fails with it.</summary>
    public string? Errno { get; init; }

    /// <summary>The call is skipped and returns this value.</summary>
    public long? ReturnValue { get; init; }

    /// <summary>A signal name (SIGSEGV, SEGV) or number, delivered on entry to the call.</summary>
    public string? Signal { get; init; }

    /// <summary>Hold the thread stopped this long at the call's entry, before the call runs.</summary>
    public TimeSpan? DelayEntry { get; init; }

    /// <summary>Hold the thread stopped this long at the call's exit, before it sees the result.</summary>
    public TimeSpan? DelayExit { get; init; }

    /// <summary>strace's when= expression (first[..last][+[step]]); null: every matching call.</summary>
    public string? Occurrence { get; init; }

    /// <summary>0..1: the chance that a call the occurrence selects is hit. Null: always.</summary>
    public double? Probability { get; init; }

    /// <summary>Seed for the probability draws, for reproducible runs. Null: a fresh seed each trace.</summary>
    public int? Seed { get; init; }

    /// <summary>Wildcard a call's path argument, or the path of its descriptor argument, must match.</summary>
    public string? PathLike { get; init; }

    /// <summary>Only calls made by this process (thread group id).</summary>
    public int? ProcessId { get; init; }

    /// <summary>strace's syscall=: with <see cref="Errno"/> or <see cref="ReturnValue"/>, the kernel runs
    /// this call (a side-effect-free one, of class Pure) instead of the skipped one, before the
    /// injected result replaces its own.</summary>
    public string? SubstituteSyscall { get; init; }

    /// <summary>strace's poke_enter=: bytes written at arguments' addresses when the call is entered.</summary>
    public IReadOnlyList<FaultPoke> PokeEnter { get; init; } = Array.Empty<FaultPoke>();

    /// <summary>strace's poke_exit=: bytes written at arguments' addresses when the call returns.</summary>
    public IReadOnlyList<FaultPoke> PokeExit { get; init; } = Array.Empty<FaultPoke>();
}
