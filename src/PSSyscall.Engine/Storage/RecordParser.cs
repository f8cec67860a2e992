namespace PSSyscall.Engine.Storage;

/// <summary>
/// Turns one record of a trace file (a JSON line, a CSV row) into an event. A parser belongs to one
/// thread at a time: it keeps caches (interned names) that are not thread-safe, so each thread that
/// parses a file's records has its own. It throws <see cref="FormatException"/> (or the JSON reader's
/// exceptions) for a malformed record and <see cref="TraceFileFatalException"/> when the rest of the
/// file cannot be read.
/// <para>The methods that run once per record or field in this folder are marked
/// <c>AggressiveOptimization</c>: they are compiled optimized at once instead of starting in tier-0
/// code with profiling counters. Several parser threads updating the same counters made the first
/// million events of a process cost twice the CPU of the next million (measured: 3.3 against 1.5
/// CPU seconds for CSV); a file is usually read once per process, so that first read is what users see.</para>
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
