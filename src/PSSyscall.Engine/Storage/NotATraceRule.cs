namespace PSSyscall.Engine.Storage;

/// <summary>
/// Decides, for one file, between "a trace with some bad lines" and "not a trace at all". Until the
/// file's first event its malformed-line errors are held back: if an event comes they are reported
/// as they were (in order, before it); if <see cref="GiveUpAfter"/> come first, or the file ends with
/// at least <see cref="AtEndAtLeast"/> and no event, the user gets one error that says the file is no
/// trace (quoting the first bad line), not a screenful of line errors. Used by the plain reader and by
/// read-ahead's consumer alike, so both report the same.
/// </summary>
internal sealed class NotATraceRule(string filePath, TraceFileFormat format, Action<TraceFileError> report)
{
    /// <summary>Malformed lines and not one event after which the rest of the file is not read.</summary>
    public const int GiveUpAfter = 20;

    /// <summary>At the end of a file with no event, this many malformed lines make it "no trace";
    /// fewer (a trace cut short in its first line or two) are reported line by line.</summary>
    public const int AtEndAtLeast = 3;

    private readonly List<TraceFileError> _held = new();
    private bool _sawEvent;

    /// <summary>True once the file has been judged no trace: read no more of it.</summary>
    public bool GivenUp { get; private set; }

    public void Malformed(TraceFileError error)
    {
        if (GivenUp)
            return;
        if (_sawEvent)
        {
            report(error);
            return;
        }
        _held.Add(error);
        if (_held.Count >= GiveUpAfter)
        {
            report(NotATrace(ended: false));
            _held.Clear();
            GivenUp = true;
        }
    }

    /// <summary>An event of the file is about to be handed on.</summary>
    public void Event()
    {
        if (_sawEvent)
            return;
        _sawEvent = true;
        Release();
    }

    /// <summary>Any other error (the file's version, a read failure): the held ones go first.</summary>
    public void Other(TraceFileError error)
    {
        Release();
        report(error);
    }

    /// <summary>The file has been read to its end.</summary>
    public void End()
    {
        if (_sawEvent || GivenUp)
            return;
        if (_held.Count >= AtEndAtLeast)
        {
            report(NotATrace(ended: true));
            _held.Clear();
            GivenUp = true;
            return;
        }
        Release();
    }

    private void Release()
    {
        foreach (TraceFileError error in _held)
            report(error);
        _held.Clear();
    }

    private TraceFileError NotATrace(bool ended)
    {
        TraceFileError first = _held[0];
        string lines = ended ? $"None of its {_held.Count} non-blank lines is" : $"None of its first {_held.Count} non-blank lines is";
        string rest = ended ? "" : ", so the rest is not read";
        return new TraceFileError(TraceFileErrorKind.NotATraceFile, filePath, 0,
            $"{lines} {TraceFileReader.FormatDescription(format)}: this does not look like a trace file{rest}. Line {first.LineNumber}: {first.Message}");
    }
}
