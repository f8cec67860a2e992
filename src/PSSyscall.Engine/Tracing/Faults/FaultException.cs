namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>A fault that cannot be built from what the user gave: <see cref="ErrorId"/> names the
/// problem (stable, for ErrorRecords), <see cref="Target"/> is the offending input.</summary>
public sealed class FaultException : Exception, IEngineFailure
{
    public FaultException(string errorId, string target, string message) : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }

    public string Target { get; }

    object? IEngineFailure.Target => Target;

    /// <summary>A name that names nothing is not found; any other bad value is a bad argument.</summary>
    public FailureCategory Category => ErrorId is "UnknownSyscall" or "UnknownSyscallClass" or "UnknownErrno" or "UnknownSignal"
        ? FailureCategory.ObjectNotFound
        : FailureCategory.InvalidArgument;
}
