using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Sandbox;

/// <summary>Why a sandbox could not be set up. The cmdlet maps each to an ErrorRecord id.</summary>
public enum SandboxFailure
{
    CommandNotFound,
    PermissionDenied,
    SetupFailed,
    PathNotFound,
    LandlockUnavailable,
    NamespaceUnavailable,
    CgroupUnavailable,
    InvalidPolicy,
    InvalidCapability,
    InvalidIdentity,
}

/// <summary>A sandbox that failed before the command ran; <see cref="Stage"/> says where.</summary>
public sealed class SandboxException : Exception
{
    public SandboxException(SandboxFailure failure, string target, string message, int errno = 0, LaunchStage stage = LaunchStage.None)
        : base(message)
    {
        Failure = failure;
        Target = target;
        Errno = errno;
        Stage = stage;
    }

    public SandboxFailure Failure { get; }
    public string Target { get; }
    public int Errno { get; }
    public LaunchStage Stage { get; }
}
