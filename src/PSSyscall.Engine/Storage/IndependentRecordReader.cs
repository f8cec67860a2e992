using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Storage;

/// <summary>
/// A trace format whose records can be parsed independently of each other once the file's head is
/// known (JSON Lines; CSV after its header row). Reading is split in two halves: finding the records
/// (<see cref="ReadRecord"/>, in file order, on one thread) and parsing them
/// (<see cref="CreateParser"/>, on any thread). Read ahead, the records of a large file are parsed
/// by several threads at once (see <see cref="ReadAhead"/>); read plainly, the two halves run one
/// after the other here, so both ways give the same events and errors.
/// </summary>
internal abstract class IndependentRecordReader : TraceFileReader
{
    private readonly RecordChunk _single = new();
    private RecordParser? _parser;

    private protected IndependentRecordReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
        : base(filePath, lines, onError)
    {
    }

    /// <summary>Adds the file's next record, or the error found while finding it, to the chunk.
    /// Blank lines and header rows are consumed here and add nothing. False at the end of the file.</summary>
    internal abstract bool ReadRecord(RecordChunk chunk);

    /// <summary>A parser of this file's records for one thread. Call once a record to parse has been
    /// read: a CSV file's parser needs the header row, which comes before any.</summary>
    internal abstract RecordParser CreateParser();

    private protected sealed override bool ReadLine()
    {
        _single.Clear();
        if (!ReadRecord(_single))
            return false;
        for (int i = 0; i < _single.Count; i++)
        {
            ref readonly RecordChunk.Entry entry = ref _single[i];
            if (entry.Error is not null)
            {
                ReportMalformed(entry.Error, entry.LineNumber, entry.Unterminated);
                continue;
            }
            try
            {
                // Made at the first record to parse: a CSV file's header row has been read by then.
                _parser ??= CreateParser();
                if (_parser.Parse(_single.Bytes(entry)) is TraceEvent e)
                    Emit(e);
            }
            catch (TraceFileFatalException fatal)
            {
                ReportFatal(fatal.Kind, fatal.Message);
            }
            catch (Exception ex) when (RecordParser.IsMalformedRecord(ex))
            {
                ReportMalformed("not a valid event: " + ex.Message, entry.LineNumber, entry.Unterminated);
            }
        }
        return true;
    }

    /// <summary>Adds the next line as a record (blank lines are skipped; a line too long is an error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected bool ReadLineRecord(RecordChunk chunk)
    {
        while (Lines.TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (Lines.LastLineTooLong)
            {
                chunk.AddError(TooLongMessage, Lines.LineNumber, Lines.LastLineUnterminated);
                return true;
            }
            if (line.TrimStart(" \t"u8).IsEmpty)
                continue;
            chunk.Add(line, Lines.LineNumber, Lines.LastLineUnterminated);
            return true;
        }
        return false;
    }
}
