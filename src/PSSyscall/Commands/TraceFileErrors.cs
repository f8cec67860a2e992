using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>ErrorRecords for trace files: stable ids, categories, the file (and line) as target.</summary>
internal static class TraceFileErrors
{
    public static ErrorRecord FromTraceFileError(TraceFileError error) => ModuleErrors.From(error);

    public static ErrorRecord NotFound(string path)
    {
        string message = $"Cannot find the trace file '{path}' (nor per-process files '{path}.<pid>' from strace -ff -o).";
        var record = new ErrorRecord(new FileNotFoundException(message, path), "TraceFileNotFound", ErrorCategory.ObjectNotFound, path);
        record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    public static ErrorRecord CannotWrite(string path, Exception e)
    {
        string message = $"Cannot write the trace file '{path}': {e.Message}";
        var record = new ErrorRecord(e, "TraceFileNotWritable", ErrorCategory.WriteError, path);
        record.ErrorDetails = new ErrorDetails(message);
        return record;
    }
}
