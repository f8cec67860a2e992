using System.Globalization;
using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Reads trace files for a cmdlet (Get-SyscallEvent, Measure-SyscallEvent, Get-TracedProcessTree
/// -Path) with what a user sees while that takes a while: a progress bar of the bytes read of the
/// total, and -Verbose lines for the files and the count. Errors in the files become the cmdlet's
/// errors. Enumerate it on the pipeline thread.
/// </summary>
internal static class TraceFileProgress
{
    /// <summary>Cancelling <paramref name="cancel"/> (the cmdlet's StopProcessing) ends a read that
    /// waits on a FIFO or device at once: the enumeration then throws OperationCanceledException.</summary>
    public static IEnumerable<TraceEvent> Read(PSCmdlet cmdlet, List<string> files, CancellationToken cancel = default)
    {
        var read = new TraceReadProgress();
        var progress = new ProgressReporter(cmdlet, 1, "Reading trace files");
        cmdlet.WriteVerbose($"Reading {files.Count} file(s): {string.Join(", ", files)}.");
        long events = 0;
        foreach (TraceEvent e in TraceFiles.Read(files, error => cmdlet.WriteError(TraceFileErrors.FromTraceFileError(error)), readAhead: true, cancel, read))
        {
            yield return e;
            if ((++events & 1023) == 0 && progress.Due)
                Report(progress, read, events);
        }
        progress.Complete();
        cmdlet.WriteVerbose($"Read {events} event(s), {read.BytesRead} bytes.");
    }

    private static void Report(ProgressReporter progress, TraceReadProgress read, long events)
    {
        long total = read.TotalBytes;
        long done = read.BytesRead;
        int percent = total > 0 ? (int)(done * 100 / total) : -1;
        progress.Report(
            string.Create(CultureInfo.InvariantCulture, $"{done / 1048576.0:0.0} MB of {total / 1048576.0:0.0} MB read, {events} events"),
            percent, read.CurrentFile);
    }
}
