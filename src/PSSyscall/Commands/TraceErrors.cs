using System.Management.Automation;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>Maps engine launch/attach failures to ErrorRecords with stable ids and categories.</summary>
internal static class TraceErrors
{
    public static ErrorRecord FromTraceException(TraceException e)
    {
        (string id, ErrorCategory category) = e.Failure switch
        {
            TraceFailure.CommandNotFound => ("CommandNotFound", ErrorCategory.ObjectNotFound),
            TraceFailure.PermissionDenied => ("CommandNotExecutable", ErrorCategory.PermissionDenied),
            TraceFailure.ProcessNotFound => ("ProcessNotFound", ErrorCategory.ObjectNotFound),
            TraceFailure.AttachDenied => ("AttachDenied", ErrorCategory.PermissionDenied),
            TraceFailure.SetupFailed => ("LaunchFailed", ErrorCategory.OpenError),
            _ => ("TracerFailed", ErrorCategory.OperationStopped),
        };
        var record = new ErrorRecord(e, id, category, e.Target);
        record.ErrorDetails = new ErrorDetails(e.Message);
        return record;
    }
}
