namespace PSSyscall.Engine;

/// <summary>
/// The kinds of failure the engine reports. The names are those of PowerShell's ErrorCategory (which
/// the engine cannot reference), so the module converts one to the other by name.
/// </summary>
public enum FailureCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    PermissionDenied,
    ReadError,
    WriteError,
    OpenError,
    LimitsExceeded,
    NotInstalled,
    OperationStopped,
}
