namespace PSSyscall.Engine.Sandbox;

public enum SandboxMessageKind
{
    /// <summary>A line the command wrote to stdout.</summary>
    Output,
    /// <summary>A line the command wrote to stderr.</summary>
    Error,
    /// <summary>A call the seccomp policy stopped (or would have).</summary>
    Violation,
    /// <summary>A call the policy notified (Notify): answered by a rule (Response set), or waiting
    /// for the consumer's handler (Response empty: answer with SandboxSession.Respond).</summary>
    Notification,
}

/// <summary>One thing that happened while the sandboxed command ran, in the order it arrived.</summary>
public readonly record struct SandboxMessage(SandboxMessageKind Kind, string? Text, SeccompViolation? Violation, SeccompNotification? Notification = null);
