namespace PSSyscall.Engine.Seccomp;

/// <summary>A policy that cannot be built or compiled. <see cref="ErrorId"/> is the ErrorRecord id
/// the cmdlets use (UnknownSyscall, LibSeccompMissing, FilterTooLarge ...); the id decides the
/// category, here, where the ids are made.</summary>
public sealed class SeccompException : Exception, IEngineFailure
{
    public SeccompException(string errorId, string message, object? target = null)
        : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }
    public object? Target { get; }

    public FailureCategory Category => ErrorId switch
    {
        "UnknownSyscall" or "UnknownGroup" or "ProfileNotFound" or "ProcessNotFound" => FailureCategory.ObjectNotFound,
        "NotASeccompFilter" or "InvalidBpfProgram" or "BpfProgramNotAProfile" => FailureCategory.InvalidData,
        "ProcessNotReadable" => FailureCategory.PermissionDenied,
        "InvalidProfile" => FailureCategory.InvalidData,
        "ProfileNotReadable" => FailureCategory.ReadError,
        "LibSeccompMissing" => FailureCategory.NotInstalled,
        "FilterTooLarge" or "ProfileTooLarge" => FailureCategory.LimitsExceeded,
        "InvalidCondition" or "ArgumentIndexOutOfRange" or "UnknownAction" or "UnknownErrno" or "InvalidRule" or "InvalidFilter" or "InvalidResourceName" => FailureCategory.InvalidArgument,
        _ => FailureCategory.InvalidOperation,
    };
}
