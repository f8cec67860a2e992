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

    private bool ByProcess => By is not null;

    protected override void BeginProcessing() => _builder = new SyscallSummaryBuilder(ByProcess);

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
        WriteSummaries(this, _builder!.Build(), ByProcess);
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    /// <summary>Writes summary rows; rows per process carry an extra type name for their grouped view.</summary>
    internal static void WriteSummaries(Cmdlet cmdlet, IReadOnlyList<SyscallSummary> rows, bool byProcess)
    {
        foreach (SyscallSummary row in rows)
        {
            if (!byProcess)
            {
                cmdlet.WriteObject(row);
                continue;
            }
            var o = PSObject.AsPSObject(row);
            o.TypeNames.Insert(0, "PSSyscall.SyscallSummary#ByProcess");
            cmdlet.WriteObject(o);
        }
    }
}
