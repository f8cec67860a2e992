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
        Stream stream = TraceInput.Open(path, CancellationToken.None, out long length);
        if (length < 0)
        {
            // A FIFO, pipe or device has no header to match: reading one would wait for a writer.
            stream.Dispose();
            return null;
        }
        using var lines = new Utf8LineReader(stream, 64 * 1024);
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

    /// <summary>A row found while a quoted field was open (see <see cref="JoinContinuationLines"/>),
    /// to be read as the next record.</summary>
    private byte[]? _nextRow;
    private long _nextRowLine;

    /// <summary>How a quoted field that runs on over line breaks ended.</summary>
    private enum Join { Closed, EndOfFile, NextRowFound, TooLong }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override bool ReadRecord(RecordChunk chunk)
    {
        if (_nextRow is not null)
        {
            chunk.Add(_nextRow, _nextRowLine, false);
            _nextRow = null;
            return true;
        }
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
                switch (JoinContinuationLines(line))
                {
                    case Join.EndOfFile:
                        chunk.AddError("a quoted field is not closed before the end of the file", lineNumber, true);
                        return true;
                    case Join.NextRowFound:
                        chunk.AddError($"a quoted field is not closed before line {_nextRowLine}, which is a row of its own", lineNumber, false);
                        return true;
                    case Join.TooLong:
                        chunk.AddError($"a quoted field is not closed within {Utf8LineReader.MaxLineLength} bytes; its lines are skipped", lineNumber, false);
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

    /// <summary>Copies the record's lines into one buffer, up to the line that closes the open quoted
    /// field. CSV lets a quoted field hold line breaks, so no line is a record boundary for certain;
    /// the one boundary this reader can find is a line that is a whole row by itself (its quotes
    /// balanced, the header's number of fields, an event type where the header has that column).
    /// An unbalanced quote then costs its own row, not the rest of the file. (A multi-line field
    /// whose inner line looks exactly like a row would be cut there: a price worth paying.)</summary>
    private Join JoinContinuationLines(ReadOnlySpan<byte> first)
    {
        _multiLine.Clear();
        _multiLine.AddRange(first);
        while (Lines.TryReadLine(out ReadOnlySpan<byte> next))
        {
            if ((next.Count((byte)'"') & 1) == 0 && !Lines.LastLineTooLong && IsWholeRow(next))
            {
                _nextRow = next.ToArray();
                _nextRowLine = Lines.LineNumber;
                return Join.NextRowFound;
            }
            if (_multiLine.Count + next.Length >= Utf8LineReader.MaxLineLength)
                return Join.TooLong;
            _multiLine.Add((byte)'\n');
            _multiLine.AddRange(next);
            if ((next.Count((byte)'"') & 1) != 0)
                return Join.Closed;
        }
        return Join.EndOfFile;
    }

    /// <summary>True when the line, alone, is a row under this file's header.</summary>
    private bool IsWholeRow(ReadOnlySpan<byte> line)
    {
        if (_columns is null || _noEventColumns || line.Count((byte)',') < _columns.Length - 1)
            return false;
        string?[] fields;
        try
        {
            fields = CsvRecordParser.SplitToStrings(line);
        }
        catch (FormatException)
        {
            return false;
        }
        if (fields.Length != _columns.Length)
            return false;
        int eventType = Array.FindIndex(_columns, c => c.Equals("EventType", StringComparison.OrdinalIgnoreCase));
        return eventType < 0 || (Enum.TryParse(fields[eventType], ignoreCase: true, out TraceEventType _) && !int.TryParse(fields[eventType], out _));
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
