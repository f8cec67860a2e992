namespace PSSyscall.Engine.Storage;

/// <summary>
/// One part of a trace being read, in order: a file whose records stand alone (which read-ahead may
/// parse on several threads), or events read some other way (strace text, the merged files of a
/// strace -ff run).
/// </summary>
internal readonly struct TraceSource
{
    private readonly IEnumerable<TraceEvent>? _events;

    public TraceSource(IndependentRecordReader records) => Records = records;

    public TraceSource(IEnumerable<TraceEvent> events) => _events = events;

    /// <summary>The file, when its records can be parsed independently.</summary>
    public IndependentRecordReader? Records { get; }

    /// <summary>The events, read in order on the calling thread.</summary>
    public IEnumerable<TraceEvent> Events => _events ?? Records!.ReadEvents();
}
