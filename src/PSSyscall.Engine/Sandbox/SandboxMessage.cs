namespace PSSyscall.Engine.Sandbox;

public enum SandboxMessageKind
{
    /// <summary>A line the command wrote to stdout.</summary>
    Output,
    /// <summary>A line the command wrote to stderr.</summary>
    Error,
    /// <summary>A call the seccomp policy stopped (or would have).</summary>
    Violation,
}

/// <summary>One thing that happened while the sandboxed command ran, in the order it arrived.</summary>
public readonly record struct SandboxMessage(SandboxMessageKind Kind, string? Text, SeccompViolation? Violation);
