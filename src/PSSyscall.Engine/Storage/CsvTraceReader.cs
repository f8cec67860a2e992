using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads CSV traces: ours, and what Export-Csv writes for trace events. The header row names the
/// columns; columns are matched to properties by name (any order, unknown ones ignored, computed ones
/// such as Result skipped); the EventType column picks the event kind (SyscallEvent without one).
/// Quoted fields may hold commas, doubled quotes and line breaks. An empty unquoted field is null.
/// This reader finds the records (a record runs on over line breaks while a quoted field is open);
/// <see cref="CsvRecordParser"/> parses them, on as many threads as read-ahead gives it.
/// </summary>
internal sealed class CsvTraceReader : IndependentRecordReader
{
    private readonly List<byte> _multiLine = new();
    private string[]? _columns;
    private bool _noEventColumns;

    public CsvTraceReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
        : base(filePath, lines, onError)
    {
    }

    public override TraceFileFormat Format => TraceFileFormat.Csv;

    /// <summary>The column names of an existing CSV file's header (for appending), or null if it has none.</summary>
    public static IReadOnlyList<string>? ReadColumnNames(string path)
    {
        using var lines = new Utf8LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), 64 * 1024);
        var reader = new CsvTraceReader(path, lines, _ => { });
        var chunk = new RecordChunk();
        try
        {
            // Reads the header row and the first data row after it (or up to the end).
            reader.ReadRecord(chunk);
            return reader._columns;
        }
        finally
        {
            chunk.Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool ReadRecord(RecordChunk chunk)
    {
        while (Lines.TryReadLine(out ReadOnlySpan<byte> line))
        {
            long lineNumber = Lines.LineNumber;
            if (Lines.LastLineTooLong)
            {
                chunk.AddError(TooLongMessage, lineNumber, Lines.LastLineUnterminated);
                return true;
            }
            if (line.IsEmpty)
                continue;
            ReadOnlySpan<byte> record = line;
            // An odd number of quotes leaves a quoted field open: the line break belongs to it.
            if ((line.Count((byte)'"') & 1) != 0)
            {
                if (!JoinContinuationLines(line))
                {
                    chunk.AddError("a quoted field is not closed before the end of the file", lineNumber, true);
                    return true;
                }
                record = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_multiLine);
            }
            if (_columns is null)
            {
                string? error = ReadHeader(record);
                if (error is null)
                    continue;
                chunk.AddError(error, lineNumber, Lines.LastLineUnterminated);
                return true;
            }
            if (_noEventColumns)
                chunk.AddError(NoEventColumns, lineNumber, Lines.LastLineUnterminated);
            else
                chunk.Add(record, lineNumber, Lines.LastLineUnterminated);
            return true;
        }
        return false;
    }

    /// <summary>Copies the record's lines into one buffer; false when the file ends inside the quotes.</summary>
    private bool JoinContinuationLines(ReadOnlySpan<byte> first)
    {
        _multiLine.Clear();
        _multiLine.AddRange(first);
        bool open = true;
        while (open && Lines.TryReadLine(out ReadOnlySpan<byte> next))
        {
            _multiLine.Add((byte)'\n');
            _multiLine.AddRange(next);
            if ((next.Count((byte)'"') & 1) != 0)
                open = false;
        }
        return !open;
    }

    /// <summary>Takes the header row (skipping Export-Csv's old "#TYPE" line); returns an error
    /// message when the row names no event property.</summary>
    private string? ReadHeader(ReadOnlySpan<byte> record)
    {
        string?[] fields = CsvRecordParser.SplitToStrings(record);
        if (fields.Length > 0 && fields[0] is string first && first.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase))
            return null;
        _columns = fields.Select(f => f ?? "").ToArray();
        // Rows under such a header cannot be events: each is an error, and after a few the file
        // is given up as no trace.
        _noEventColumns = !_columns.Any(c => EventSchema.Syscall.Find(c) is not null);
        return _noEventColumns ? NoEventColumns : null;
    }

    private const string NoEventColumns = "the header row names none of the event properties (EventType, Name, ProcessId...)";

    internal override RecordParser CreateParser() => new CsvRecordParser(_columns ?? Array.Empty<string>());
}
