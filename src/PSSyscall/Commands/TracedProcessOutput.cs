using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Start-TracedProcess's -OutFile and -Summary: records the events to a file while they stream, and
/// with -Summary adds them up into strace -c's table instead of writing them to the pipeline.
/// </summary>
internal sealed class TracedProcessOutput : IDisposable
{
    private readonly TraceFileWriter? _writer;
    private SyscallSummaryBuilder? _summary;
    private readonly string? _path;

    private TracedProcessOutput(TraceFileWriter? writer, string? path, bool summary)
    {
        _writer = writer;
        _path = path;
        _summary = summary ? new SyscallSummaryBuilder() : null;
    }

    /// <summary>strace -c -S/-w/-U and the total row, for -Summary.</summary>
    public TracedProcessOutput WithSummaryOptions(SummarySortOrder sortBy, SummaryClock clock, bool includeTotal, string[]? columns)
    {
        if (_summary is not null)
            _summary = new SyscallSummaryBuilder { SortBy = sortBy, Clock = clock, IncludeTotal = includeTotal };
        _columns = columns;
        return this;
    }

    private string[]? _columns;

    /// <summary>The summary times calls entry to exit (strace -c -w): the eBPF backend does not
    /// stop a process to read the system time it spent in a call.</summary>
    public void UseWallClock()
    {
        if (_summary is not null)
            _summary = new SyscallSummaryBuilder { SortBy = _summary.SortBy, Clock = SummaryClock.Wall, IncludeTotal = _summary.IncludeTotal };
    }

    /// <summary>Opens the output file (format from its extension). Throws a terminating error if the
    /// file cannot be written, before anything is traced.</summary>
    public static TracedProcessOutput Open(PSCmdlet cmdlet, string? outFile, bool summary, string commandLine, bool noClobber, StraceTextOptions? straceText = null)
    {
        if (string.IsNullOrEmpty(outFile))
            return new TracedProcessOutput(null, null, summary);
        string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(outFile);
        OutputFileGuard.ThrowIfProtected(cmdlet, path, noClobber, append: false);
        try
        {
            return new TracedProcessOutput(TraceFileWriter.Create(path, TraceFileWriter.FormatFromExtension(path), append: false, commandLine, straceText), path, summary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(TraceFileErrors.CannotWrite(path, e));
            throw;
        }
    }

    /// <summary>[-ff] Opens a set of per-thread strace text files, PREFIX.TID (strace -ff -o PREFIX).
    /// Files an earlier run left under the prefix are replaced (with -NoClobber: error NoClobber).</summary>
    public static TracedProcessOutput OpenPerThread(PSCmdlet cmdlet, string outFile, bool summary, bool noClobber, StraceTextOptions? straceText = null)
    {
        string prefix = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(outFile);
        IReadOnlyList<string> existing = PerThreadTraceWriter.ExistingFiles(prefix);
        if (existing.Count > 0)
            OutputFileGuard.ThrowIfProtected(cmdlet, existing[0], noClobber, append: false);
        try
        {
            return new TracedProcessOutput(PerThreadTraceWriter.Create(prefix, straceText), prefix, summary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(TraceFileErrors.CannotWrite(prefix, e));
            throw;
        }
    }

    /// <summary>Records the event; true when it should also go to the pipeline.</summary>
    public bool Accept(TraceEvent e)
    {
        _writer?.Write(e);
        if (_summary is null)
            return true;
        _summary.Add(e);
        return false;
    }

    /// <summary>After the trace: closes the file and writes the summary rows (with -Summary).</summary>
    public void Complete(Cmdlet cmdlet, long lostEvents = 0, long unreadableCaptures = 0)
    {
        Dispose();
        if (_summary is not null)
        {
            var rows = _summary.Build();
            foreach (SyscallSummary row in rows)
            {
                row.LostEvents = lostEvents;
                row.UnreadableCaptures = unreadableCaptures;
            }
            MeasureSyscallEventCommand.WriteSummaries(cmdlet, rows, byProcess: false, _columns);
        }
    }

    public void Dispose() => _writer?.Dispose();
}
