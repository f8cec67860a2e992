namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>A fault that cannot be built from what the user gave: <see cref="ErrorId"/> names the
/// problem (stable, for ErrorRecords), <see cref="Target"/> is the offending input.</summary>
public sealed class FaultException : Exception
{
    public FaultException(string errorId, string target, string message) : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }

    public string Target { get; }
}
