namespace PSSyscall.Engine.Tracing;

/// <summary>Why a launch or an attach could not happen. The cmdlets map each to an ErrorRecord id
/// and category.</summary>
public enum TraceFailure
{
    CommandNotFound,
    PermissionDenied,
    SetupFailed,
    ProcessNotFound,
    AttachDenied,
    TracerFailed,
    /// <summary>Start-TracedProcess -User names no user the passwd database knows.</summary>
    UserNotFound,

    /// <summary>The eBPF backend cannot run here (no permission, no libbpf, an old kernel, -Inject).</summary>
    BackendUnavailable,
}

/// <summary>A launch or attach that failed before anything ran, with the reason and its target.</summary>
public sealed class TraceException : Exception, IEngineFailure
{
    public TraceException(TraceFailure failure, string target, string message, int errno = 0, LaunchStage stage = LaunchStage.None)
        : base(message)
    {
        Failure = failure;
        Target = target;
        Errno = errno;
        Stage = stage;
    }

    public TraceFailure Failure { get; }
    public string Target { get; }
    public int Errno { get; }
    public LaunchStage Stage { get; }

    object? IEngineFailure.Target => Target;

    public string ErrorId => Failure switch
    {
        TraceFailure.CommandNotFound => "CommandNotFound",
        TraceFailure.PermissionDenied => "CommandNotExecutable",
        TraceFailure.ProcessNotFound => "ProcessNotFound",
        TraceFailure.AttachDenied => "AttachDenied",
        TraceFailure.SetupFailed => "LaunchFailed",
        TraceFailure.UserNotFound => "UserNotFound",
        TraceFailure.BackendUnavailable => "EbpfUnavailable",
        _ => "TracerFailed",
    };

    public FailureCategory Category => Failure switch
    {
        TraceFailure.CommandNotFound or TraceFailure.ProcessNotFound or TraceFailure.UserNotFound => FailureCategory.ObjectNotFound,
        TraceFailure.PermissionDenied or TraceFailure.AttachDenied => FailureCategory.PermissionDenied,
        TraceFailure.SetupFailed => FailureCategory.OpenError,
        TraceFailure.BackendUnavailable when Errno is 1 or 13 => FailureCategory.PermissionDenied,
        TraceFailure.BackendUnavailable => FailureCategory.NotInstalled,
        _ => FailureCategory.OperationStopped,
    };
}
