using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Get-TracedProcessTree: the processes of a trace as a tree of who started whom, with what each
/// ran, how it ended, its calls and its time in them (events from the pipeline, or trace files).
/// </summary>
[Cmdlet(VerbsCommon.Get, "TracedProcessTree", DefaultParameterSetName = InputSet, HelpUri = HelpLinks.Base + "Get-TracedProcessTree.md")]
[OutputType(typeof(ProcessTreeNode))]
public sealed class GetTracedProcessTreeCommand : PSCmdlet
{
    private const string InputSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly ProcessTreeBuilder _builder = new();
    private readonly List<string> _files = new();

    /// <summary>Events of a trace (from Start-TracedProcess or Get-SyscallEvent).</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = InputSet)]
    public TraceEvent? InputObject { get; set; }

    /// <summary>Trace files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Trace files, taken literally.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputSet)
        {
            if (InputObject is not null)
                _builder.Add(InputObject);
            return;
        }
        _files.AddRange(TraceFilePathResolver.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet));
    }

    protected override void EndProcessing()
    {
        if (_files.Count > 0)
            foreach (TraceEvent e in TraceFileProgress.Read(this, _files))
                _builder.Add(e);
        foreach (ProcessTreeNode node in _builder.Build())
            WriteObject(node);
    }
}
