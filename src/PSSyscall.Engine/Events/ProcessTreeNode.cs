using System.Globalization;

namespace PSSyscall;

/// <summary>
/// One process of a trace, placed in the tree of who started whom (Get-TracedProcessTree): what it
/// ran, how it ended, how many calls it made and how long they took. Nodes come in tree order (a
/// parent, then its children by start time), each with its <see cref="Depth"/> and the
/// <see cref="TreePrefix"/> that draws the tree's branches in a table.
/// </summary>
public sealed class ProcessTreeNode
{
    public int ProcessId { get; set; }

    /// <summary>The process that started this one (0 when the trace does not say).</summary>
    public int ParentProcessId { get; set; }

    /// <summary>The command name at the end of the trace (/proc/PID/comm; a program exec'd renames it).</summary>
    public string ProcessName { get; set; } = "";

    /// <summary>The programs the process exec'd, in order (a fork that did not exec has none).</summary>
    public string[] Programs { get; set; } = Array.Empty<string>();

    /// <summary>The arguments of its last successful exec, as strace shows them (["ls", "-l"]).</summary>
    public string? CommandLine { get; set; }

    /// <summary>0 for a process whose parent is not in the trace, 1 for its children, and so on.</summary>
    public int Depth { get; set; }

    /// <summary>The branches to draw before the name in a tree: "│  └─ ".</summary>
    public string TreePrefix { get; set; } = "";

    /// <summary>The processes it started, by id, in the order they started.</summary>
    public int[] Children { get; set; } = Array.Empty<int>();

    /// <summary>Threads seen (the main thread included).</summary>
    public int Threads { get; set; }

    /// <summary>Its first event (the first call's entry).</summary>
    public DateTime StartTime { get; set; }

    /// <summary>Its exit, or its last event when the trace did not see it exit.</summary>
    public DateTime EndTime { get; set; }

    /// <summary>Wall-clock time from <see cref="StartTime"/> to <see cref="EndTime"/>.</summary>
    public TimeSpan Duration => EndTime - StartTime;

    /// <summary>Syscalls made (unfinished ones, such as exit_group, included).</summary>
    public long Calls { get; set; }

    /// <summary>Syscalls that failed.</summary>
    public long Errors { get; set; }

    /// <summary>Time spent inside its syscalls, entry to exit, summed over its threads.</summary>
    public TimeSpan SyscallTime { get; set; }

    /// <summary>Signals delivered to it.</summary>
    public int Signals { get; set; }

    /// <summary>Its exit status (128 + the signal when killed), or null when the trace did not see it end.</summary>
    public int? ExitCode { get; set; }

    /// <summary>The signal that killed it, else null.</summary>
    public string? Signal { get; set; }

    /// <summary>"exit 0", "SIGKILL" or "running" (the trace ended first): for views.</summary>
    public string Ending => Signal ?? (ExitCode is int code ? "exit " + code.ToString(CultureInfo.InvariantCulture) : "running");

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"{TreePrefix}{ProcessName} ({ProcessId}) {CommandLine}: {Calls} calls, {SyscallTime.TotalSeconds:0.000000} s in calls, {Ending}");
}
