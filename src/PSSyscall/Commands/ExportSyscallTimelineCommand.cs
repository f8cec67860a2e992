using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Export-SyscallTimeline: writes a trace as a self-contained HTML page that draws it as a timeline
/// (one lane per thread, calls as spans coloured by class, signals and exits marked, zoom and hover
/// details), viewable in any browser with no network access.
/// </summary>
[Cmdlet(VerbsData.Export, "SyscallTimeline", HelpUri = HelpLinks.Base + "Export-SyscallTimeline.md")]
[OutputType(typeof(FileInfo))]
public sealed class ExportSyscallTimelineCommand : PSCmdlet
{
    private readonly TimelineWriter _timeline = new();

    /// <summary>The HTML file to write (replaced if it exists, unless -NoClobber).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Events of a trace (from Start-TracedProcess or Get-SyscallEvent).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public TraceEvent? InputObject { get; set; }

    /// <summary>The page's title (default: the first program the trace ran, and its start time).</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>Fail rather than replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write the file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private string? _firstProgram;
    private DateTime _firstTime;

    protected override void ProcessRecord()
    {
        if (InputObject is null)
            return;
        if (_timeline.Count == 0)
            _firstTime = InputObject.Timestamp;
        if (_firstProgram is null && InputObject is SyscallEvent { Name: "execve", ReturnValue: 0 } exec)
            _firstProgram = exec.Path;
        _timeline.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        string title = Title ?? $"Trace of {_firstProgram ?? "a process"}, {_firstTime:yyyy-MM-dd HH:mm:ss}";
        try
        {
            using var file = new FileStream(path, NoClobber ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.None);
            _timeline.Write(file, title);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var record = new ErrorRecord(e, File.Exists(path) && NoClobber ? "FileExists" : "CannotWriteFile",
                File.Exists(path) && NoClobber ? ErrorCategory.ResourceExists : ErrorCategory.WriteError, path)
            {
                ErrorDetails = new ErrorDetails(File.Exists(path) && NoClobber
                    ? $"The file '{path}' exists and -NoClobber forbids replacing it."
                    : $"Cannot write the timeline to '{path}': {e.Message}"),
            };
            ThrowTerminatingError(record);
            return;
        }
        WriteVerbose($"Wrote {_timeline.Count} events to {path}.");
        if (PassThru)
            WriteObject(SessionState.InvokeProvider.Item.Get(new[] { path }, force: true, literalPath: true), enumerateCollection: true);
    }
}
