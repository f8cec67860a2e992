namespace PSSyscall;

/// <summary>The time prefix of each line in strace text (Export-SyscallEvent -Timestamp).</summary>
public enum StraceTimestampFormat
{
    /// <summary>No time (strace without -t).</summary>
    None,

    /// <summary>Local time of day to the second, "10:42:07" (strace -t).</summary>
    TimeOfDay,

    /// <summary>Local time of day to the microsecond, "10:42:07.123456" (strace -tt); the default.</summary>
    TimeOfDayMicroseconds,

    /// <summary>Seconds since the Unix epoch to the microsecond, "1796440140.289590" (strace -ttt).</summary>
    UnixTime,

    /// <summary>Seconds since the line before began, "     0.000017" (strace -r): the events' RelativeTime.</summary>
    Relative,
}

/// <summary>What strace text holds besides the calls themselves.</summary>
public sealed record StraceTextOptions
{
    /// <summary>strace -f -tt -T -y: what the writer has always written.</summary>
    public static readonly StraceTextOptions Default = new();

    /// <summary>The time prefix (-t, -tt, -ttt, -r or none).</summary>
    public StraceTimestampFormat Timestamp { get; init; } = StraceTimestampFormat.TimeOfDayMicroseconds;

    /// <summary>strace -i: "[00007f3b41094a2b] " after the time, "[????????????????] " where the
    /// event has none (process exits).</summary>
    public bool InstructionPointer { get; init; }
}
