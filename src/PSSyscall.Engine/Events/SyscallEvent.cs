using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding;

namespace PSSyscall;

/// <summary>One completed (or never-completed) system call of a traced thread.</summary>
public sealed class SyscallEvent : TraceEvent
{
    public override TraceEventType EventType => TraceEventType.Syscall;

    /// <summary>The syscall's name in its ABI's table (openat, execve, ...).</summary>
    public string Name { get; set; } = "";

    /// <summary>The syscall number in its ABI (for x32 without the x32 bit).</summary>
    public int Number { get; set; }

    public SyscallArchitecture Architecture { get; set; }

    private string? _arguments;
    private string? _path;
    private bool _pathSet;

    /// <summary>Set by the engine: decodes Arguments, Result and Path on first use (the captured
    /// memory travels with the event), so events nobody looks at cost no formatting.</summary>
    internal PSSyscall.Engine.Tracing.PendingDecode? Pending;

    /// <summary>The arguments as one display string, as strace shows them.</summary>
    public string Arguments
    {
        get
        {
            if (_arguments is null)
                Pending?.Complete(this);
            return _arguments ?? "";
        }
        set => _arguments = value;
    }

    /// <summary>The raw return value (negative errno values are reported as -1 with <see cref="Errno"/>,
    /// as the C library would return them). 0 for an unfinished call.</summary>
    public long ReturnValue { get; set; }

    /// <summary>The error name (ENOENT) when the call failed, else null.</summary>
    public string? Errno { get; set; }

    /// <summary>Time from entry to exit; zero for an unfinished call.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary><see cref="Duration"/> in microseconds, a number for Measure-Object and Sort-Object
    /// (<c>Measure-Object DurationMicroseconds -Sum</c>); strace -T shows the same in seconds.</summary>
    public double DurationMicroseconds => Duration.Ticks / 10.0;

    /// <summary>System time the process spent from the call's entry to its exit (strace -c's default
    /// clock), measured only by Start-TracedProcess -Summary; not stored in files.</summary>
    internal TimeSpan SystemTime { get; set; }

    /// <summary>True when the call never returned: exit/exit_group, a thread killed mid-call, or a
    /// call cut short by an exec in another thread.</summary>
    public bool Unfinished { get; set; }

    /// <summary>True when the tracer let the thread go during this call (Start-TracedProcess
    /// -DetachOn execve), strace's "&lt;detached ...&gt;"; such a call is also <see cref="Unfinished"/>.</summary>
    public bool Detached { get; set; }

    /// <summary>True when strace could not read the call's result ("= ? &lt;unavailable&gt;", in strace
    /// logs only: this tracer reads every result). Such a call is also <see cref="Unfinished"/>.</summary>
    public bool Unavailable { get; set; }

    /// <summary>How the call ended, as strace -e status= names it: Successful, Failed, Unfinished,
    /// Unavailable or Detached.</summary>
    public PSSyscall.Engine.Tracing.SyscallStatus Status => Detached ? PSSyscall.Engine.Tracing.SyscallStatus.Detached
        : Unavailable ? PSSyscall.Engine.Tracing.SyscallStatus.Unavailable
        : Unfinished ? PSSyscall.Engine.Tracing.SyscallStatus.Unfinished
        : Errno is not null ? PSSyscall.Engine.Tracing.SyscallStatus.Failed : PSSyscall.Engine.Tracing.SyscallStatus.Successful;

    /// <summary>The first path argument, as the program gave it (null when the call has none).</summary>
    public string? Path
    {
        get
        {
            if (!_pathSet)
                Pending?.Complete(this);
            return _path;
        }
        set
        {
            _path = value;
            _pathSet = true;
        }
    }

    /// <summary>The first file-descriptor argument (null when the call has none).</summary>
    public int? Fd { get; set; }

    /// <summary>strace's classes of this syscall.</summary>
    public SyscallClass Class { get; set; }

    /// <summary>True when a fault (New-SyscallFault) changed this call.</summary>
    public bool Injected { get; set; }

    /// <summary>What the fault did (e.g. "error=ENOSPC"), when <see cref="Injected"/>.</summary>
    public string? Fault { get; set; }

    /// <summary>False for an event rebuilt from a serialized form that lacked the raw argument
    /// registers (Select-Object of some properties, a strace log): rules on argument values cannot
    /// judge it.</summary>
    internal bool RawArgumentsKnown { get; set; } = true;

    /// <summary>The address of the instruction after the syscall instruction that made the call
    /// (strace -i); 0 where a trace file does not say.</summary>
    public ulong InstructionPointer { get; set; }

    /// <summary>The data the call read or wrote, as strace -e read=/-e write= dumps it: lines of
    /// " | 00000  68 65 6c ...  hel... |" (and " * N bytes in buffer K" before each buffer of a
    /// vector), joined by newlines. Null unless Start-TracedProcess -HexDumpRead/-HexDumpWrite
    /// selected the call's descriptor.</summary>
    public string? HexDump { get; set; }

    /// <summary>The call's stack as strace -k prints it, innermost frame first, one frame a line
    /// ("/usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]"). Null unless
    /// Start-TracedProcess -StackTrace.</summary>
    public string? StackTrace { get; set; }

    /// <summary>The six raw argument registers.</summary>
    public ulong Argument0 { get; set; }
    public ulong Argument1 { get; set; }
    public ulong Argument2 { get; set; }
    public ulong Argument3 { get; set; }
    public ulong Argument4 { get; set; }
    public ulong Argument5 { get; set; }

    private string? _result;

    /// <summary>The return value as strace shows it: "3&lt;/etc/passwd&gt;", "0x7f3b41094000",
    /// "-1 ENOENT (No such file or directory)", "?". Set by the decoder; otherwise derived.</summary>
    public string Result
    {
        get
        {
            if (_result is null)
                Pending?.Complete(this);
            return _result ?? FormatResult(Unfinished, ReturnValue, Errno);
        }
        set => _result = value;
    }

    /// <summary>How strace marks a call a fault changed: " (INJECTED)", or, when the fault wrote into
    /// the call's memory (poke_enter/poke_exit), " (INJECTED: args)" and " (INJECTED: args, retval)".</summary>
    internal string InjectionNote => !Injected ? ""
        : Fault is { } f && f.Contains("poke", StringComparison.Ordinal)
            ? (f.Contains("error=", StringComparison.Ordinal) || f.Contains("retval=", StringComparison.Ordinal) ? " (INJECTED: args, retval)" : " (INJECTED: args)")
            : " (INJECTED)";

    public ulong GetArgument(int index) => index switch
    {
        0 => Argument0,
        1 => Argument1,
        2 => Argument2,
        3 => Argument3,
        4 => Argument4,
        5 => Argument5,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    internal static string FormatResult(bool unfinished, long returnValue, string? errno)
    {
        if (unfinished)
            return "?";
        if (errno is null)
            return returnValue.ToString(CultureInfo.InvariantCulture);
        if (ErrnoNames.TryParse(errno, out int number))
            return $"-1 {errno} ({ErrnoNames.GetMessage(number)})";
        return "-1 " + errno;
    }

    /// <summary>A one-line strace-like rendering: "[pid 1234] openat(...) = 3 &lt;0.000012&gt;".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(64 + Arguments.Length);
        if (ProcessId != ThreadId || ProcessId != 0)
            sb.Append("[pid ").Append(ThreadId.ToString(CultureInfo.InvariantCulture)).Append("] ");
        if (Architecture != SyscallArchitecture.X86_64)
            sb.Append('[').Append(Architecture.ToString().ToLowerInvariant()).Append("] ");
        sb.Append(Name).Append('(').Append(Arguments);
        if (Detached)
            return sb.Append(" <detached ...>").ToString();
        sb.Append(')');
        sb.Append(" = ").Append(Result);
        if (Injected)
            sb.Append(InjectionNote); // [faults] as strace marks a changed call
        if (Unavailable)
            sb.Append(" <unavailable>");
        if (!Unfinished)
            sb.Append(" <").Append(Duration.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture)).Append('>');
        return sb.ToString();
    }
}
