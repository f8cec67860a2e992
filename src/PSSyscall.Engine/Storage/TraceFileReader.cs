namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads one trace file as events, streaming: a line at a time over one buffer. A line that cannot
/// be read is reported through the error callback (file and line number) and reading goes on.
/// </summary>
public abstract class TraceFileReader : IDisposable
{
    private readonly NotATraceRule _rule;
    private readonly Queue<TraceEvent> _ready = new();
    private bool _stopped;

    private protected TraceFileReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
    {
        FilePath = filePath;
        Lines = lines;
        _rule = new NotATraceRule(filePath, Format, onError);
    }

    public string FilePath { get; }

    public abstract TraceFileFormat Format { get; }

    private protected Utf8LineReader Lines { get; }

    /// <summary>True for a FIFO, pipe, device or /proc file: input that comes as it is written.</summary>
    internal bool IsStream { get; private set; }

    /// <summary>The number of the line read last.</summary>
    internal long LineNumber => Lines.LineNumber;

    /// <summary>Bytes of the file read so far.</summary>
    public long BytesRead => Lines.BytesRead;

    /// <summary>The events of the file in order. Call once.</summary>
    public IEnumerable<TraceEvent> ReadEvents()
    {
        while (true)
        {
            if (_ready.Count > 0)
            {
                _rule.Event();
                yield return _ready.Dequeue();
                continue;
            }
            if (_stopped || _rule.GivenUp)
                yield break;
            bool more;
            try
            {
                more = ReadLine();
            }
            catch (IOException e)
            {
                ReportFatal(TraceFileErrorKind.Unreadable, $"Reading stopped after line {Lines.LineNumber}: {e.Message}");
                continue;
            }
            if (!more)
            {
                Finish();
                if (_ready.Count == 0)
                    _rule.End();
                _stopped = true;
            }
        }
    }

    /// <summary>Reads and handles one line; false at the end of the file.</summary>
    private protected abstract bool ReadLine();

    /// <summary>At the end of the file: emit what is still pending.</summary>
    private protected virtual void Finish()
    {
    }

    private protected void Emit(TraceEvent e) => _ready.Enqueue(e);

    private protected void ReportMalformed(string message)
        => ReportMalformed(Lines.LastLineTooLong ? TooLongMessage : message, Lines.LineNumber, Lines.LastLineUnterminated);

    private protected void ReportMalformed(string message, long lineNumber, bool unterminated)
    {
        // An event read already but not yet handed on comes before this line's error.
        if (_ready.Count > 0)
            _rule.Event();
        _rule.Malformed(MalformedLine(FilePath, message, lineNumber, unterminated));
    }

    internal static string TooLongMessage => $"the line is longer than {Utf8LineReader.MaxLineLength} bytes";

    internal static TraceFileError MalformedLine(string filePath, string message, long lineNumber, bool unterminated)
    {
        string where = unterminated ? " (the last line is incomplete: the file may have been cut short)" : "";
        return new TraceFileError(TraceFileErrorKind.MalformedLine, filePath, lineNumber, message + where);
    }

    private protected void ReportFatal(TraceFileErrorKind kind, string message)
    {
        _rule.Other(new TraceFileError(kind, FilePath, 0, message));
        _stopped = true;
    }

    internal static string FormatDescription(TraceFileFormat format) => format switch
    {
        TraceFileFormat.JsonLines => "a PSSyscall JSON Lines event",
        TraceFileFormat.Csv => "a CSV row of trace events",
        _ => "a line of strace output",
    };

    /// <summary>Opens a trace file, recognising its format from its first bytes. Returns null (after
    /// reporting why) for an empty file or one that is not text. A FIFO, pipe or device is read as it
    /// comes, and <paramref name="cancel"/> ends a read that waits on one.</summary>
    public static TraceFileReader? Open(string path, Action<TraceFileError> onError, CancellationToken cancel = default)
        => Open(path, onError, 256 * 1024, null, cancel);

    internal static TraceFileReader? Open(string path, Action<TraceFileError> onError, int bufferSize, StraceProcessTracker? tracker,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(onError);
        Stream stream;
        long length;
        try
        {
            stream = TraceInput.Open(path, cancel, out length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError(CannotOpen(path, e));
            return null;
        }
        var lines = new Utf8LineReader(stream, bufferSize);
        try
        {
            ReadOnlySpan<byte> head;
            try
            {
                head = lines.Peek(4096);
            }
            catch (IOException e)
            {
                onError(new TraceFileError(TraceFileErrorKind.Unreadable, path, 0, "The file cannot be read: " + e.Message));
                lines.Dispose();
                return null;
            }
            TraceFileFormat? format = Detect(head, lines.AtEnd, length, path, onError);
            if (format is null)
            {
                lines.Dispose();
                return null;
            }
            DateTime written = length < 0 ? DateTime.Now : File.GetLastWriteTime(path);
            TraceFileReader reader = format switch
            {
                TraceFileFormat.JsonLines => new JsonLinesTraceReader(path, lines, onError),
                TraceFileFormat.Csv => new CsvTraceReader(path, lines, onError),
                _ => new StraceTextReader(path, lines, onError, StraceTextReader.ProcessIdFromFileName(path), written, tracker,
                    length < 0 ? DateTime.Now : File.GetCreationTime(path)),
            };
            reader.IsStream = length < 0;
            return reader;
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    /// <summary>The error for a file that cannot be opened.</summary>
    internal static TraceFileError CannotOpen(string path, Exception e) => e is FileNotFoundException or DirectoryNotFoundException
        ? new TraceFileError(TraceFileErrorKind.NotFound, path, 0, "The file does not exist.")
        : new TraceFileError(TraceFileErrorKind.Unreadable, path, 0, "The file cannot be read: " + e.Message);

    private static TraceFileFormat? Detect(ReadOnlySpan<byte> head, bool atEnd, long length, string path, Action<TraceFileError> onError)
    {
        ReadOnlySpan<byte> text = head.TrimStart(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            onError(new TraceFileError(TraceFileErrorKind.EmptyFile, path, 0,
                length == 0 ? "The file is empty: it holds no events." : "The file holds only blank lines: it holds no events."));
            return null;
        }
        // Binary data: NUL bytes, or bytes that are not UTF-8 (allowing a character cut at the end
        // of what has been read so far).
        ReadOnlySpan<byte> check = head;
        for (int cut = 0; !atEnd && cut < 3 && check.Length > 0 && check[^1] >= 0x80; cut++)
            check = check[..^1];
        if (check.Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(check))
        {
            onError(new TraceFileError(TraceFileErrorKind.NotATraceFile, path, 0,
                "The file is binary data, not a trace: Get-SyscallEvent reads PSSyscall JSON Lines and CSV files and strace text output."));
            return null;
        }
        // ConvertTo-Json writes one JSON document (an array of objects over many lines), not JSON Lines.
        if (text[0] == (byte)'[' && text[1..].TrimStart(" \t\r\n"u8).StartsWith("{"u8))
        {
            onError(new TraceFileError(TraceFileErrorKind.NotATraceFile, path, 0,
                "The file is one JSON document (an array, as ConvertTo-Json writes), not JSON Lines with one event a line: " +
                "write traces with Export-SyscallEvent, or read this one with Get-Content -Raw | ConvertFrom-Json."));
            return null;
        }
        return text[0] switch
        {
            (byte)'{' => TraceFileFormat.JsonLines,
            (byte)'"' => TraceFileFormat.Csv,
            // Export-Csv -IncludeTypeInformation starts with "#TYPE PSSyscall.SyscallEvent".
            _ => text.StartsWith("EventType,"u8) || text.StartsWith("#TYPE "u8) ? TraceFileFormat.Csv : TraceFileFormat.Strace,
        };
    }

    public void Dispose() => Lines.Dispose();
}
