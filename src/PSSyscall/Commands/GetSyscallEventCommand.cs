using System.Management.Automation;
using PSSyscall.Completion;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Get-SyscallEvent: reads trace files (PSSyscall JSON Lines or CSV, or strace's text output) back
/// as the same event objects Start-TracedProcess writes, streaming, with filters.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SyscallEvent", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Get-SyscallEvent.md")]
[OutputType(typeof(SyscallEvent), typeof(SignalEvent), typeof(ProcessExitEvent))]
public sealed class GetSyscallEventCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputSet = "InputObject";

    private readonly List<string> _files = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Trace files; wildcards allowed. A strace -ff -o PREFIX run is read as one trace from
    /// PREFIX (or PREFIX.*).</summary>
    // Not by property name: a SyscallEvent's Path is the path its program opened, not a trace file.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Trace files, taken literally (no wildcards). Files from Get-ChildItem bind here.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Only these system calls (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SyscallNameCompleter))]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateWildcard]
    public string[]? Name { get; set; }

    /// <summary>Events to filter instead of files: live ones from Start-TracedProcess, or ones that
    /// went through remoting, a job, Import-Clixml, Import-Csv or ConvertFrom-Json.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
    [TraceEventTransformation]
    public TraceEvent? InputObject { get; set; }

    /// <summary>Only system calls in any of these classes (File, Network, ...).</summary>
    [Parameter]
    public SyscallClass[]? Class { get; set; }

    /// <summary>Only events of these processes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(1, int.MaxValue)]
    public int[]? ProcessId { get; set; }

    /// <summary>Only system calls that returned an error.</summary>
    [Parameter]
    public SwitchParameter Failed { get; set; }

    /// <summary>Only system calls that succeeded.</summary>
    [Parameter]
    public SwitchParameter Successful { get; set; }

    /// <summary>Only system calls that ended so (strace -e status=): Successful, Failed,
    /// Unfinished, Unavailable, Detached; as Start-TracedProcess -Status.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSSyscall.Engine.Tracing.SyscallStatus[]? Status { get; set; }

    /// <summary>Only system calls that touch these paths (wildcards): the call's path argument, or a
    /// file descriptor that strace -y annotated with the path. Like strace -P.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [Validation.ValidateWildcard]
    public string[]? AccessedPath { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter]
    public DateTime After { get; set; }

    /// <summary>Only events before this time.</summary>
    [Parameter]
    public DateTime Before { get; set; }

    protected override void BeginProcessing()
    {
        if (Failed && Successful)
        {
            const string message = "-Failed and -Successful exclude each other: give one of them, or neither for both kinds of call.";
            var record = new ErrorRecord(new ArgumentException(message), "ContradictoryFilters", ErrorCategory.InvalidArgument, null);
            record.ErrorDetails = new ErrorDetails(message);
            ThrowTerminatingError(record);
        }
    }

    private TraceEventFilter? _filter;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputSet)
        {
            _filter ??= BuildFilter();
            if (InputObject is not null && _filter.Matches(InputObject))
                WriteObject(InputObject);
            return;
        }
        _files.AddRange(TraceFilePathResolver.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet));
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InputSet)
            return;
        // Files are read together at the end so that the files of one strace -ff run, however they
        // arrive, are merged into one trace.
        TraceEventFilter filter = BuildFilter();
        try
        {
            foreach (TraceEvent e in TraceFileProgress.Read(this, _files, _stop.Token))
            {
                if (filter.Matches(e))
                    WriteObject(e);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping; a read waiting on a FIFO or device has been ended.
        }
    }

    private TraceEventFilter BuildFilter()
    {
        var names = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        var paths = AccessedPath?.Select(p => new WildcardPattern(p, WildcardOptions.None)).ToArray();
        var bound = MyInvocation.BoundParameters;
        return new TraceEventFilter
        {
            NameMatches = names is null ? null : n => names.Any(p => p.IsMatch(n)),
            Class = Class?.Aggregate(SyscallClass.None, (a, c) => a | c) ?? SyscallClass.None,
            ProcessIds = new HashSet<int>(ProcessId ?? Array.Empty<int>()),
            Failed = Failed ? true : Successful ? false : null,
            Statuses = Status is null ? null : Status.Aggregate(PSSyscall.Engine.Tracing.SyscallStatus.None, (a, b) => a | b),
            PathMatches = paths is null ? null : p => paths.Any(w => w.IsMatch(p)),
            LiteralPaths = AccessedPath?.Where(p => !WildcardPattern.ContainsWildcardCharacters(p)).ToArray() ?? Array.Empty<string>(),
            After = bound.ContainsKey(nameof(After)) ? After : null,
            Before = bound.ContainsKey(nameof(Before)) ? Before : null,
        };
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
