namespace PSSyscall.Engine.Storage;

/// <summary>What the first line of a JSON Lines trace says about the trace.</summary>
public sealed record TraceFileHeader
{
    /// <summary>The value of the header's "Format" member: how a reader recognises the file.</summary>
    public const string FormatName = "PSSyscall.TraceEvents";

    /// <summary>The version this build writes. A reader accepts this version and older ones.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The traced command line (or the pipeline that exported the events).</summary>
    public string Command { get; init; } = "";

    /// <summary>The machine the trace was recorded on.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>When the trace began: the first event's time, or the time the file was started.</summary>
    public DateTime StartTime { get; init; }
}
