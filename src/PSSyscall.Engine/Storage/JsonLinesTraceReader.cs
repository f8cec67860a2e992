namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads PSSyscall JSON Lines: an optional header line ({"Format":"PSSyscall.TraceEvents",...}) and
/// one event object a line. Every line stands alone, so lines are parsed (by
/// <see cref="JsonLinesRecordParser"/>) on as many threads as read-ahead gives them.
/// </summary>
internal sealed class JsonLinesTraceReader : IndependentRecordReader
{
    public JsonLinesTraceReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError)
        : base(filePath, lines, onError)
    {
    }

    public override TraceFileFormat Format => TraceFileFormat.JsonLines;

    internal override bool ReadRecord(RecordChunk chunk) => ReadLineRecord(chunk);

    internal override RecordParser CreateParser() => new JsonLinesRecordParser();
}
