namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads one trace file as events, streaming: a line at a time over one buffer. A line that cannot
/// be read is reported through the error callback (file and line number) and reading goes on.
/// </summary>
public abstract class TraceFileReader : IDisposable
{
    /// <summary>After this many unreadable lines and not one event, the file is not a trace at all.</summary>
    private const int MalformedLinesBeforeGivingUp = 20;

    private readonly Action<TraceFileError> _onError;
    private readonly Queue<TraceEvent> _ready = new();
    private long _events;
    private int _malformed;
    private bool _stopped;

    private protected TraceFileReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
    {
        FilePath = filePath;
        Lines = lines;
        _onError = onError;
    }

    public string FilePath { get; }

    public abstract TraceFileFormat Format { get; }

    private protected Utf8LineReader Lines { get; }

    /// <summary>Bytes of the file read so far.</summary>
    public long BytesRead => Lines.BytesRead;

    /// <summary>The events of the file in order. Call once.</summary>
    public IEnumerable<TraceEvent> ReadEvents()
    {
        while (true)
        {
            if (_ready.Count > 0)
            {
                _events++;
                yield return _ready.Dequeue();
                continue;
            }
            if (_stopped)
                yield break;
            if (!ReadLine())
            {
                Finish();
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
        _onError(MalformedLine(FilePath, message, lineNumber, unterminated));
        if (IsNotATrace(++_malformed, _events + _ready.Count))
        {
            _onError(NotATraceFile(FilePath, Format, _malformed));
            _stopped = true;
        }
    }

    internal static string TooLongMessage => $"the line is longer than {Utf8LineReader.MaxLineLength} bytes";

    internal static TraceFileError MalformedLine(string filePath, string message, long lineNumber, bool unterminated)
    {
        string where = unterminated ? " (the last line is incomplete: the file may have been cut short)" : "";
        return new TraceFileError(TraceFileErrorKind.MalformedLine, filePath, lineNumber, message + where);
    }

    /// <summary>True when this many malformed lines and not one event mean the file is no trace.</summary>
    internal static bool IsNotATrace(int malformed, long events) => malformed >= MalformedLinesBeforeGivingUp && events == 0;

    internal static TraceFileError NotATraceFile(string filePath, TraceFileFormat format, int malformed)
        => new(TraceFileErrorKind.NotATraceFile, filePath, 0,
            $"The first {malformed} lines are not {FormatDescription(format)}; this does not look like a trace file, so the rest is not read.");

    private protected void ReportFatal(TraceFileErrorKind kind, string message)
    {
        _onError(new TraceFileError(kind, FilePath, 0, message));
        _stopped = true;
    }

    internal static string FormatDescription(TraceFileFormat format) => format switch
    {
        TraceFileFormat.JsonLines => "PSSyscall JSON Lines events",
        TraceFileFormat.Csv => "CSV rows",
        _ => "strace output",
    };

    /// <summary>Opens a trace file, recognising its format from its first bytes. Returns null (after
    /// reporting why) for an empty file or one that is not text.</summary>
    public static TraceFileReader? Open(string path, Action<TraceFileError> onError)
        => Open(path, onError, 256 * 1024, null);

    internal static TraceFileReader? Open(string path, Action<TraceFileError> onError, int bufferSize, StraceProcessTracker? tracker)
    {
        ArgumentNullException.ThrowIfNull(onError);
        FileStream stream;
        try
        {
            if (Directory.Exists(path))
                throw new IOException("It is a directory, not a file.");
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError(new TraceFileError(e is FileNotFoundException or DirectoryNotFoundException ? TraceFileErrorKind.NotFound : TraceFileErrorKind.Unreadable,
                path, 0, e is FileNotFoundException or DirectoryNotFoundException ? "The file does not exist." : "The file cannot be read: " + e.Message));
            return null;
        }
        var lines = new Utf8LineReader(stream, bufferSize);
        try
        {
            TraceFileFormat? format = Detect(lines.Peek(4096), stream.Length, path, onError);
            if (format is null)
            {
                lines.Dispose();
                return null;
            }
            return format switch
            {
                TraceFileFormat.JsonLines => new JsonLinesTraceReader(path, lines, onError),
                TraceFileFormat.Csv => new CsvTraceReader(path, lines, onError),
                _ => new StraceTextReader(path, lines, onError, StraceTextReader.ProcessIdFromFileName(path), File.GetLastWriteTime(path), tracker),
            };
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    private static TraceFileFormat? Detect(ReadOnlySpan<byte> head, long length, string path, Action<TraceFileError> onError)
    {
        ReadOnlySpan<byte> text = head.TrimStart(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            onError(new TraceFileError(TraceFileErrorKind.EmptyFile, path, 0,
                length == 0 ? "The file is empty: it holds no events." : "The file holds only blank lines: it holds no events."));
            return null;
        }
        // Binary data: NUL bytes, or bytes that are not UTF-8 (allowing a character cut at the end).
        ReadOnlySpan<byte> check = head.Length == 4096 ? head[..^4] : head;
        if (check.Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(check))
        {
            onError(new TraceFileError(TraceFileErrorKind.NotATraceFile, path, 0,
                "The file is binary data, not a trace: Get-SyscallEvent reads PSSyscall JSON Lines and CSV files and strace text output."));
            return null;
        }
        return text[0] switch
        {
            (byte)'{' => TraceFileFormat.JsonLines,
            (byte)'"' => TraceFileFormat.Csv,
            _ => text.StartsWith("EventType,"u8) ? TraceFileFormat.Csv : TraceFileFormat.Strace,
        };
    }

    public void Dispose() => Lines.Dispose();
}
