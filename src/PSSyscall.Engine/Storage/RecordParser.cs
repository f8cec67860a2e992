namespace PSSyscall.Engine.Storage;

/// <summary>
/// Turns one record of a trace file (a JSON line, a CSV row) into an event. A parser belongs to one
/// thread at a time: it keeps caches (interned names) that are not thread-safe, so each thread that
/// parses a file's records has its own. It throws <see cref="FormatException"/> (or the JSON reader's
/// exceptions) for a malformed record and <see cref="TraceFileFatalException"/> when the rest of the
/// file cannot be read.
/// </summary>
internal abstract class RecordParser
{
    /// <summary>The record's event, or null for a record that holds none (a header line).</summary>
    public abstract TraceEvent? Parse(ReadOnlySpan<byte> record);

    /// <summary>True for the exceptions that mean "this record is malformed" (the file goes on).</summary>
    public static bool IsMalformedRecord(Exception e)
        => e is System.Text.Json.JsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException;
}

/// <summary>The file cannot be read further (a header from a newer format version, say).</summary>
internal sealed class TraceFileFatalException(TraceFileErrorKind kind, string message) : Exception(message)
{
    public TraceFileErrorKind Kind { get; } = kind;
}
