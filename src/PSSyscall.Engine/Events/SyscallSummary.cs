using System.Globalization;

namespace PSSyscall;

/// <summary>
/// One row of strace -c's table: how often a syscall was made, how often it failed and how long it
/// took, over a trace (or, with Measure-SyscallEvent -By ProcessId, over one process of it).
/// </summary>
public sealed class SyscallSummary
{
    /// <summary>The syscall's name (openat).</summary>
    public string Name { get; set; } = "";

    /// <summary>Calls that returned (as strace -c, calls that never returned, such as exit_group, are not counted).</summary>
    public long Calls { get; set; }

    /// <summary>Calls that returned an error.</summary>
    public long Errors { get; set; }

    /// <summary>Time spent in the calls, entry to exit.</summary>
    public TimeSpan TotalTime { get; set; }

    public TimeSpan AverageTime { get; set; }

    public TimeSpan MinTime { get; set; }

    public TimeSpan MaxTime { get; set; }

    /// <summary>This syscall's share of the total time (of its process, when grouped), 0 to 100.</summary>
    public double PercentTime { get; set; }

    /// <summary>The process the row is for, with -By ProcessId; null for the whole trace.</summary>
    public int? ProcessId { get; set; }

    /// <summary>The process's command name, with -By ProcessId.</summary>
    public string? ProcessName { get; set; }

    /// <summary>True for strace's "total" row, the sum of the rows before it (Name is "total").</summary>
    public bool IsTotal { get; set; }

    /// <summary>Start-TracedProcess -Summary with the eBPF backend: events of the trace lost because
    /// its ring buffer was full (the counts are then a lower bound); 0 otherwise.</summary>
    public long LostEvents { get; set; }

    /// <summary>Start-TracedProcess -Summary with the eBPF backend: arguments whose memory could not
    /// be read (shown as addresses); 0 otherwise.</summary>
    public long UnreadableCaptures { get; set; }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"{(ProcessId is int pid ? $"[pid {pid}] " : "")}{Name}: {Calls} calls, {Errors} errors, {TotalTime.TotalSeconds:0.000000} s ({PercentTime:0.00}%)");
}
