using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Measure-SyscallEvent: strace -c's table (calls, errors and time per syscall) from events on the
/// pipeline or from trace files.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "SyscallEvent", DefaultParameterSetName = InputSet, HelpUri = HelpLinks.Base + "Measure-SyscallEvent.md")]
[OutputType(typeof(SyscallSummary))]
public sealed class MeasureSyscallEventCommand : PSCmdlet, IDisposable
{
    private const string InputSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private SyscallSummaryBuilder? _builder;
    private readonly List<string> _files = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Events to add up (from Start-TracedProcess or Get-SyscallEvent).</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = InputSet)]
    [TraceEventTransformation]
    public TraceEvent? InputObject { get; set; }

    /// <summary>Trace files to add up; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Trace files, taken literally.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>ProcessId: one table per process instead of one for the whole trace.</summary>
    [Parameter]
    [ValidateSet("ProcessId")]
    public string? By { get; set; }

    /// <summary>The order of the rows (strace -S): Time (total time, the default), Calls, Errors,
    /// Name, Nothing (syscall number order), AverageTime, MinTime, MaxTime.</summary>
    [Parameter]
    public SummarySortOrder SortBy { get; set; } = SummarySortOrder.Time;

    /// <summary>End the table with strace's "total" row (IsTotal = $true), per process with -By ProcessId.</summary>
    [Parameter]
    public SwitchParameter IncludeTotal { get; set; }

    /// <summary>The columns to show, in this order (strace -U): PercentTime, TotalTime,
    /// AverageTime, MinTime, MaxTime, Calls, Errors, Name. The rows keep every property.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateSet(SummaryColumns.PercentTime, SummaryColumns.TotalTime, SummaryColumns.AverageTime, SummaryColumns.MinTime,
        SummaryColumns.MaxTime, SummaryColumns.Calls, SummaryColumns.Errors, SummaryColumns.Name, SummaryColumns.StracePercent,
        SummaryColumns.StraceTotal, SummaryColumns.StraceAverage, SummaryColumns.StraceMin, SummaryColumns.StraceMax, SummaryColumns.StraceName)]
    public string[]? Column { get; set; }

    private bool ByProcess => By is not null;

    protected override void BeginProcessing() => _builder = new SyscallSummaryBuilder(ByProcess)
    {
        SortBy = SortBy,
        IncludeTotal = IncludeTotal,
        Clock = SummaryClock.Wall,
    };

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputSet)
        {
            if (InputObject is not null)
                _builder!.Add(InputObject);
            return;
        }
        _files.AddRange(TraceFilePathResolver.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet));
    }

    protected override void EndProcessing()
    {
        try
        {
            if (_files.Count > 0)
                foreach (TraceEvent e in TraceFileProgress.Read(this, _files, _stop.Token))
                    _builder!.Add(e);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return; // Ctrl+C while a FIFO or device was read
        }
        WriteSummaries(this, _builder!.Build(), ByProcess, SummaryColumns.Normalize(Column));
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    /// <summary>Writes summary rows; rows per process carry an extra type name for their grouped
    /// view; with columns (strace -U), the rows show only those, in that order.</summary>
    internal static void WriteSummaries(Cmdlet cmdlet, IReadOnlyList<SyscallSummary> rows, bool byProcess, string[]? columns = null)
    {
        foreach (SyscallSummary row in rows)
        {
            if (!byProcess && columns is null)
            {
                cmdlet.WriteObject(row);
                continue;
            }
            var o = PSObject.AsPSObject(row);
            if (columns is not null)
            {
                // No view applies to these names, so the display property set decides the columns.
                o.TypeNames.Clear();
                o.TypeNames.Add("PSSyscall.SyscallSummary#Columns");
                o.TypeNames.Add("System.Object");
                o.Members.Add(new PSMemberSet("PSStandardMembers",
                    [new PSPropertySet("DefaultDisplayPropertySet", byProcess ? columns.Prepend(nameof(SyscallSummary.ProcessId)).ToArray() : columns)]));
            }
            else
                o.TypeNames.Insert(0, "PSSyscall.SyscallSummary#ByProcess");
            cmdlet.WriteObject(o);
        }
    }
}

/// <summary>The column names of strace -c's table (strace -U), as SyscallSummary's properties.</summary>
internal static class SummaryColumns
{
    public const string PercentTime = "PercentTime", TotalTime = "TotalTime", AverageTime = "AverageTime", MinTime = "MinTime",
        MaxTime = "MaxTime", Calls = "Calls", Errors = "Errors", Name = "Name";

    /// <summary>strace -U's own names, accepted too.</summary>
    public const string StracePercent = "time-percent", StraceTotal = "total-time", StraceAverage = "avg-time",
        StraceMin = "min-time", StraceMax = "max-time", StraceName = "syscall";

    /// <summary>The property names for the columns asked for (strace's names mapped), in order.</summary>
    public static string[]? Normalize(string[]? columns) => columns?.Select(c => c.ToLowerInvariant() switch
    {
        "percenttime" or StracePercent => PercentTime,
        "totaltime" or StraceTotal => TotalTime,
        "averagetime" or StraceAverage => AverageTime,
        "mintime" or StraceMin => MinTime,
        "maxtime" or StraceMax => MaxTime,
        "calls" => Calls,
        "errors" => Errors,
        _ => Name,
    }).Distinct().ToArray();
}
