using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Export-SyscallEvent: writes trace events to a file as they come down the pipeline, as JSON Lines
/// (lossless; the default), CSV (Export-Csv's quoting) or strace text.
/// </summary>
[Cmdlet(VerbsData.Export, "SyscallEvent", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Export-SyscallEvent.md")]
[OutputType(typeof(SyscallEvent), typeof(SignalEvent), typeof(ProcessExitEvent))]
public sealed class ExportSyscallEventCommand : PSCmdlet, IDisposable
{
    private TraceFileWriter? _writer;
    private string _fullPath = "";

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FilePath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The events (from Start-TracedProcess or Get-SyscallEvent).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [TraceEventTransformation]
    public TraceEvent? InputObject { get; set; }

    /// <summary>JsonLines, Csv or Strace. Without it, the file's extension decides: .csv is Csv;
    /// .txt, .log and .strace are Strace; anything else JsonLines.</summary>
    [Parameter]
    public TraceFileFormat Format { get; set; }

    /// <summary>Strace format: the time at the start of each line, as strace's -t (TimeOfDay), -tt
    /// (TimeOfDayMicroseconds, the default), -ttt (UnixTime) or -r (Relative: each event's
    /// RelativeTime), or None.</summary>
    [Parameter]
    public StraceTimestampFormat TimestampFormat { get; set; } = StraceTimestampFormat.TimeOfDayMicroseconds;

    /// <summary>Strace format: each line shows where the call was made, "[00007f3b41094a2b] ", as
    /// strace -i (the events' InstructionPointer).</summary>
    [Parameter]
    public SwitchParameter IncludeInstructionPointer { get; set; }

    /// <summary>Add to the end of the file instead of replacing it.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Do not replace an existing file (error NoClobber), as Export-Csv -NoClobber.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace (or append to) the file even when it is read-only.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Also write each event to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        _fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        TraceFileFormat format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : TraceFileWriter.FormatFromExtension(_fullPath);
        if (!OutputFileGuard.MayWrite(this, _fullPath, NoClobber, Append, Force, $"Write trace events ({format})"))
            return;   // -WhatIf: events pass through with -PassThru, nothing is written
        try
        {
            if (format != TraceFileFormat.Strace && (MyInvocation.BoundParameters.ContainsKey(nameof(TimestampFormat)) || IncludeInstructionPointer))
                WriteWarning($"-TimestampFormat and -IncludeInstructionPointer shape strace text only; {format} keeps every property (Timestamp, RelativeTime, InstructionPointer) as it is.");
            _writer = TraceFileWriter.Create(_fullPath, format, Append, MyInvocation.Line?.Trim() ?? "",
                new StraceTextOptions { Timestamp = TimestampFormat, InstructionPointer = IncludeInstructionPointer });
            WriteVerbose($"{(Append ? "Appending" : "Writing")} events to {_fullPath} as {format}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(TraceFileErrors.CannotWrite(_fullPath, e));
        }
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null)
            return;
        try
        {
            if (_writer is not null)
            {
                _writer.Write(InputObject);
                _written++;
            }
        }
        catch (IOException e)
        {
            ThrowTerminatingError(TraceFileErrors.CannotWrite(_fullPath, e));
        }
        if (PassThru)
            WriteObject(InputObject);
    }

    protected override void EndProcessing() => Close();

    private long _written;

    private void Close()
    {
        TraceFileWriter? writer = _writer;
        _writer = null;
        try
        {
            writer?.Dispose();
            if (writer is not null)
                WriteVerbose($"Wrote {_written} event(s) to {_fullPath}.");
        }
        catch (IOException e)
        {
            ThrowTerminatingError(TraceFileErrors.CannotWrite(_fullPath, e));
        }
    }

    // A stopped pipeline still leaves a complete file of what was written so far.
    public void Dispose() => _writer?.Dispose();
}
