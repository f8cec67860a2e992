using System.Management.Automation;
using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>Maps sandbox set-up failures to ErrorRecords with stable ids and categories; the
/// message names the stage that failed.</summary>
internal static class SandboxErrors
{
    public static ErrorRecord FromSandboxException(SandboxException e)
    {
        (string id, ErrorCategory category) = e.Failure switch
        {
            SandboxFailure.CommandNotFound => ("CommandNotFound", ErrorCategory.ObjectNotFound),
            SandboxFailure.PermissionDenied => ("CommandNotExecutable", ErrorCategory.PermissionDenied),
            SandboxFailure.PathNotFound => ("SandboxPathNotFound", ErrorCategory.ObjectNotFound),
            SandboxFailure.LandlockUnavailable => ("LandlockUnavailable", ErrorCategory.NotImplemented),
            SandboxFailure.NamespaceUnavailable => ("NamespaceUnavailable", ErrorCategory.NotImplemented),
            SandboxFailure.CgroupUnavailable => ("CgroupUnavailable", ErrorCategory.NotImplemented),
            SandboxFailure.InvalidPolicy => ("InvalidSeccompProgram", ErrorCategory.InvalidData),
            SandboxFailure.InvalidCapability => ("UnknownCapability", ErrorCategory.InvalidArgument),
            SandboxFailure.InvalidIdentity => ("SandboxIdentityUnavailable", ErrorCategory.PermissionDenied),
            _ => ("SandboxSetupFailed", ErrorCategory.OpenError),
        };
        string message = e.Stage == LaunchStage.None || e.Message.Contains(e.Stage.ToString(), StringComparison.Ordinal)
            ? e.Message
            : $"Sandbox set-up failed at stage {e.Stage}: {e.Message}";
        var record = new ErrorRecord(e, id, category, e.Target);
        record.ErrorDetails = new ErrorDetails(message + " The command did not run.");
        return record;
    }
}
