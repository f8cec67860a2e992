using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Writes events as <c>strace -f -tt -T -y -o FILE</c> does: thread id, time of day to the
/// microsecond, the call with its (already decoded) arguments, " = " at column 40, the result and
/// the duration; signals as "--- SIGCHLD {...} ---", exits as "+++ exited with 0 +++". An ABI
/// change of a process is announced as strace does ("[ Process PID=N runs in 32 bit mode. ]").
/// Get-SyscallEvent reads the file back.
/// </summary>
internal sealed class StraceTextWriter : TraceFileWriter
{
    private const int ResultColumn = 40;

    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new(256);
    private readonly Dictionary<int, SyscallArchitecture> _architectures = new();
    private readonly StraceTextOptions _options;
    private DateTime _previous;

    public StraceTextWriter(Stream stream, StraceTextOptions? options = null) : base(stream)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
        _options = options ?? StraceTextOptions.Default;
    }

    /// <summary>[-ff] A file of one thread (strace -ff -o PREFIX writes PREFIX.TID): its lines carry
    /// no thread id, since the file's name says it.</summary>
    internal StraceTextWriter(Stream stream, bool threadIdPrefix, int bufferSize, StraceTextOptions? options = null) : base(stream)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize) { NewLine = "\n" };
        _options = options ?? StraceTextOptions.Default;
        _threadIdPrefix = threadIdPrefix;
    }

    private readonly bool _threadIdPrefix = true;

    public override TraceFileFormat Format => TraceFileFormat.Strace;

    private protected override void WriteEvent(TraceEvent e)
    {
        if (e is SyscallEvent s)
            AnnounceArchitecture(s);
        _line.Clear();
        AppendPrefix(e);
        switch (e)
        {
            case SyscallEvent call:
                AppendCall(call);
                break;
            case SignalEvent signal:
                AppendSignal(signal);
                break;
            case ProcessExitEvent exit:
                _line.Append(exit.Signal is null
                    ? $"+++ exited with {(exit.ExitCode ?? 0).ToString(CultureInfo.InvariantCulture)} +++"
                    : $"+++ killed by {exit.Signal}{(exit.CoreDumped ? " (core dumped)" : "")} +++");
                break;
        }
        _writer.WriteLine(_line);
        // strace's order: the call, its -e read=/write= dump, then its -k stack.
        if (e is SyscallEvent { HexDump: { Length: > 0 } dump })
            _writer.WriteLine(dump);
        if (e is SyscallEvent { StackTrace: { Length: > 0 } stack })
        {
            foreach (string frame in stack.Split('\n'))
            {
                _writer.Write(" > ");
                _writer.WriteLine(frame);
            }
        }
    }

    private void AppendPrefix(TraceEvent e)
    {
        if (_threadIdPrefix)
        {
            string tid = e.ThreadId.ToString(CultureInfo.InvariantCulture);
            _line.Append(tid);
            _line.Append(' ', Math.Max(1, 6 - tid.Length));
        }
        switch (_options.Timestamp)
        {
            case StraceTimestampFormat.TimeOfDay or StraceTimestampFormat.TimeOfDayMicroseconds when e.Timestamp != default:
                // strace prints local time of day.
                DateTime local = e.Timestamp.Kind == DateTimeKind.Utc ? e.Timestamp.ToLocalTime() : e.Timestamp;
                _line.Append(local.ToString(_options.Timestamp == StraceTimestampFormat.TimeOfDay ? "HH:mm:ss" : "HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append(' ');
                break;
            case StraceTimestampFormat.UnixTime when e.Timestamp != default:
                long ticks = e.Timestamp.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
                _line.Append(FormatSeconds(new TimeSpan(ticks))).Append(' ');
                break;
            case StraceTimestampFormat.Relative:
                // "%6ld.%06ld ": the event's own RelativeTime; events that lack one (built by
                // hand) get the time since the event written before.
                TimeSpan delta = e.RelativeTime;
                if (delta == TimeSpan.Zero && _previous != default && e.Timestamp > _previous)
                    delta = e.Timestamp - _previous;
                if (delta < TimeSpan.Zero)
                    delta = TimeSpan.Zero;
                string seconds = (delta.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
                _line.Append(' ', Math.Max(0, 6 - seconds.Length)).Append(seconds).Append('.')
                    .Append((delta.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture)).Append(' ');
                break;
        }
        if (e.Timestamp != default)
            _previous = e.Timestamp;
        if (_options.InstructionPointer)
        {
            ulong ip = e switch
            {
                SyscallEvent s => s.InstructionPointer,
                SignalEvent g => g.InstructionPointer,
                _ => 0,
            };
            _line.Append(ip == 0 ? "[????????????????] " : "[" + ip.ToString("x16", CultureInfo.InvariantCulture) + "] ");
        }
    }

    private void AppendCall(SyscallEvent e)
    {
        if (e.Detached)
        {
            // strace -b execve: the tracer let the thread go inside the call: no ")", no result.
            _line.Append(e.Name).Append('(').Append(e.Arguments).Append(" <detached ...>");
            return;
        }
        _line.Append(e.Name).Append('(').Append(e.Arguments).Append(')');
        if (_line.Length < ResultColumn)
            _line.Append(' ', ResultColumn - _line.Length);
        else
            _line.Append(' ');
        _line.Append("= ").Append(e.Result);
        if (e.Injected)
            _line.Append(e.InjectionNote);
        if (e.Unavailable)
            _line.Append(" <unavailable>");
        if (!e.Unfinished)
            _line.Append(" <").Append(FormatSeconds(e.Duration)).Append('>');
    }

    private void AppendSignal(SignalEvent e)
    {
        _line.Append("--- ").Append(e.Signal).Append(" {si_signo=").Append(e.Signal)
            .Append(", si_code=").Append(e.Code.Length > 0 ? e.Code : "0");
        switch (e.Signal)
        {
            case "SIGSEGV" or "SIGBUS" or "SIGILL" or "SIGFPE":
                _line.Append(", si_addr=0x").Append(e.Value.ToString("x", CultureInfo.InvariantCulture));
                break;
            case "SIGCHLD" when e.Code.StartsWith("CLD_", StringComparison.Ordinal):
                // As strace: the status is a signal name unless the child exited, then the child's times.
                _line.Append(", si_pid=").Append(e.SenderProcessId.ToString(CultureInfo.InvariantCulture))
                    .Append(", si_uid=").Append(e.SenderUserId.ToString(CultureInfo.InvariantCulture))
                    .Append(", si_status=").Append(e.Code == "CLD_EXITED" ? e.Value.ToString(CultureInfo.InvariantCulture) : Decoding.SignalNames.GetName((int)e.Value))
                    .Append(", si_utime=").Append(e.ChildUserTime.ToString(CultureInfo.InvariantCulture))
                    .Append(", si_stime=").Append(e.ChildSystemTime.ToString(CultureInfo.InvariantCulture));
                break;
            case var _ when e.Code == "SI_KERNEL":
                break; // the kernel's own signals carry no sender: strace shows no si_pid/si_uid
            default:
                _line.Append(", si_pid=").Append(e.SenderProcessId.ToString(CultureInfo.InvariantCulture))
                    .Append(", si_uid=").Append(e.SenderUserId.ToString(CultureInfo.InvariantCulture));
                if (e.Value != 0)
                    _line.Append(", si_value=").Append(e.Value.ToString(CultureInfo.InvariantCulture));
                break;
        }
        _line.Append("} ---");
    }

    private void AnnounceArchitecture(SyscallEvent e)
    {
        SyscallArchitecture previous = _architectures.TryGetValue(e.ThreadId, out SyscallArchitecture a) ? a : SyscallArchitecture.X86_64;
        if (previous == e.Architecture)
            return;
        _architectures[e.ThreadId] = e.Architecture;
        string mode = e.Architecture switch
        {
            SyscallArchitecture.I386 => "32 bit",
            SyscallArchitecture.X32 => "x32",
            _ => "64 bit",
        };
        _writer.WriteLine($"[ Process PID={e.ThreadId.ToString(CultureInfo.InvariantCulture)} runs in {mode} mode. ]");
    }

    /// <summary>Seconds with six decimals, as strace's -T shows them.</summary>
    internal static string FormatSeconds(TimeSpan t)
        => (t.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "." +
           (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture);

    public override void Flush() => _writer.Flush();
}
