namespace PSSyscall.Engine.Seccomp;

/// <summary>A policy that cannot be built or compiled. <see cref="ErrorId"/> is the ErrorRecord id
/// the cmdlets use (UnknownSyscall, LibSeccompMissing, FilterTooLarge ...).</summary>
public sealed class SeccompException : Exception
{
    public SeccompException(string errorId, string message, object? target = null)
        : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }
    public object? Target { get; }
}
