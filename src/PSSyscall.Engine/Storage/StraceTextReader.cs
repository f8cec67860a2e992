using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads strace's text output as events, a line at a time, parsing byte spans (no regular
/// expressions). Understands: thread ids as "[pid N] " (strace -f to a terminal), "N " (strace -f -o)
/// or none (one process, or one file of -ff -o PREFIX, whose name gives the id); -t / -tt / -ttt
/// times; -T durations; -y fd annotations; "&lt;unfinished ...&gt;" and "&lt;... X resumed&gt;" halves joined into
/// one event; "--- SIGX {...} ---" signals; "+++ exited with N +++" and "+++ killed by SIGX +++";
/// strace's "[ Process PID=N runs in 32 bit mode. ]" ABI notes. Path and Fd are taken from the
/// decoded arguments (see <see cref="SyscallArgumentRoles"/>); ProcessId and ProcessName are
/// reconstructed by <see cref="StraceProcessTracker"/>.
/// </summary>
internal sealed class StraceTextReader : TraceFileReader
{
    /// <summary>SyscallEvent.Result when it is settable (it is computed when no decoder sets it).</summary>
    private static readonly EventProperty? ResultText = EventSchema.Syscall.Find(nameof(SyscallEvent.Result)) is { CanWrite: true } p ? p : null;

    private readonly int _filePid;
    private readonly DateTime _fileTime;
    private readonly StraceProcessTracker _tracker;
    private readonly bool _completeOnEmit;
    private readonly Dictionary<int, Pending> _pending = new();
    private readonly Dictionary<int, SyscallArchitecture> _architectures = new();
    private readonly Utf8StringCache _strings = new();
    private readonly DateTime _relativeStart;
    private DateTime _date;
    private long _lastTimeOfDay = -1;
    private long _relativeTicks;
    private bool _inSummary;
    private bool _sawSummary;
    private bool _emitted;

    private sealed record Pending(string Name, string Arguments, DateTime Timestamp, TimeSpan RelativeTime, ulong InstructionPointer);

    // The prefixes of the line being parsed: -r's delta (or the time since the line before) and -i's address.
    private TimeSpan _lineRelative;
    private ulong _lineIp;
    private DateTime _previousLineTime;

    // A call is handed on once the line after it is read: -e read=/write= dumps (" | 00000  68 ...",
    // " * 3 bytes in buffer 0") and -k frames (" > /lib/...") that follow it belong to it.
    private SyscallEvent? _held;
    private readonly StringBuilder _dump = new();
    private readonly StringBuilder _stack = new();

    /// <summary>Calls waiting for their "resumed" half are held per thread; past this many (Linux's
    /// largest pid_max is 4194304, real traces have a few hundred threads at most) they are handed
    /// on as unfinished, so no file can make the reader hold more than this.</summary>
    private const int MaxPendingCalls = 65536;

    /// <param name="filePid">The thread id for lines without one (a -ff file's id, else 0).</param>
    /// <param name="fileTime">The file's last write time: gives the date of -t/-tt times.</param>
    /// <param name="tracker">Shared by the files of one -ff trace; null for a file read alone.</param>
    /// <param name="relativeStart">Where -r's deltas are counted from: the file's creation time.</param>
    public StraceTextReader(string filePath, Utf8LineReader lines, Action<TraceFileError> onError, int filePid, DateTime fileTime,
        StraceProcessTracker? tracker = null, DateTime? relativeStart = null)
        : base(filePath, lines, onError)
    {
        _filePid = filePid;
        _fileTime = fileTime;
        _relativeStart = relativeStart ?? fileTime;
        _tracker = tracker ?? new StraceProcessTracker();
        _completeOnEmit = tracker is null;
    }

    public override TraceFileFormat Format => TraceFileFormat.Strace;

    internal StraceProcessTracker Tracker => _tracker;

    /// <summary>The id in a -ff file name (PREFIX.1234), else 0.</summary>
    public static int ProcessIdFromFileName(string path)
    {
        string ext = Path.GetExtension(path);
        return ext.Length > 1 && int.TryParse(ext.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private void EmitEvent(TraceEvent e)
    {
        if (_completeOnEmit)
        {
            _tracker.Complete(e);
            if (StraceProcessTracker.IsThreadExit(e))
                return;
        }
        _emitted = true;
        ReleaseHeld();
        if (e is SyscallEvent call)
        {
            _held = call;
            // A FIFO or pipe gives the next line only when it is written: hand the call on now
            // (its dump and frames are added to it as they come), so a live trace is not a line late.
            if (IsStream)
            {
                Emit(call);
                _heldEmitted = true;
            }
        }
        else
        {
            Emit(e);
        }
    }

    private bool _heldEmitted;

    private void ReleaseHeld()
    {
        if (_held is null)
            return;
        if (_dump.Length > 0)
            _held.HexDump = _dump.ToString();
        if (_stack.Length > 0)
            _held.StackTrace = _stack.ToString();
        _dump.Clear();
        _stack.Clear();
        if (!_heldEmitted)
            Emit(_held);
        _heldEmitted = false;
        _held = null;
    }

    /// <summary>A line that belongs to the call before it: a dump line or a stack frame.</summary>
    private bool TryAttach(ReadOnlySpan<byte> s)
    {
        StringBuilder? into = null;
        ReadOnlySpan<byte> text = s;
        if (s.StartsWith(" > "u8))
        {
            into = _stack;
            text = s[3..];
        }
        else if (s.StartsWith(" | "u8) || s.StartsWith(" * "u8) || s.StartsWith(" = "u8))
        {
            into = _dump;
        }
        if (into is null)
            return false;
        if (_held is null)
            return true; // a -k frame or dump of a call not kept (an unfinished half): nothing to attach to
        if (into.Length > 0)
            into.Append('\n');
        into.Append(Encoding.UTF8.GetString(text));
        if (_heldEmitted)
        {
            if (into == _dump)
                _held.HexDump = _dump.ToString();
            else
                _held.StackTrace = _stack.ToString();
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private protected override bool ReadLine()
    {
        if (!Lines.TryReadLine(out ReadOnlySpan<byte> line))
            return false;
        if (Lines.LastLineTooLong)
        {
            ReportMalformed("");
            return true;
        }
        if (line.Trim(" \t"u8).IsEmpty)
            return true;
        try
        {
            string? problem = ParseLine(line);
            if (problem is not null)
                ReportMalformed(problem);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            ReportMalformed(ex.Message);
        }
        return true;
    }

    private protected override void Finish()
    {
        // Calls still open at the end never returned (the trace stopped while they ran).
        EmitPending();
        ReleaseHeld();
        if (_sawSummary && !_emitted)
            ReportFatal(TraceFileErrorKind.NotATraceFile,
                "The file holds only strace's -c summary table (calls counted per name), not the calls: trace without -c, or with -C, to read them.");
    }

    /// <summary>Hands on the calls waiting for their resumed half as unfinished, oldest first.</summary>
    private void EmitPending()
    {
        foreach ((int tid, Pending p) in _pending.OrderBy(kv => kv.Value.Timestamp))
            EmitEvent(NewCall(tid, p, unfinished: true));
        _pending.Clear();
    }

    /// <summary>Handles one line; returns what is wrong with it, or null. The prefixes strace can
    /// write come in its order: the thread ("[pid N] " or "N "), the time (-t, -tt, -ttt,
    /// --timestamps=..., or -r's delta; "-t -r" writes "TIME (+ DELTA) "), the syscall number
    /// (-n, "[ 257] ") and the instruction pointer (-i, "[00007f...] " or "[????????????????] ").
    /// Each is read where strace puts it and nowhere else, so a line that does not fit is an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private string? ParseLine(ReadOnlySpan<byte> s)
    {
        // -k: a stack frame of the call above, " > /lib/x86_64-linux-gnu/libc.so.6(read+0x12) [0x1149d2]";
        // -e read=/write=: its data, " | 00000  68 65 ...  he |", " * 3 bytes in buffer 0".
        if (s.Length > 2 && s[0] == (byte)' ' && s[2] == (byte)' ' && TryAttach(s))
            return null;
        // -C: the -c summary table after the trace ("% time  seconds ... syscall", rows, "total").
        if (_inSummary)
        {
            if (IsSummaryRow(s))
                return null;
            _inSummary = false;
        }
        else if (s.Length > 0 && (s[0] == (byte)'%' || s[0] == (byte)'S' || (uint)(s[0] - 'a') <= 25) && IsSummaryHeader(s))
        {
            _inSummary = _sawSummary = true;
            return null;
        }
        int tid = _filePid;
        int i = 0;
        // "[pid  1234] "
        if (s.StartsWith("[pid"u8))
        {
            i = 4;
            SkipSpaces(s, ref i);
            if (!TryParseInt(s, ref i, out tid) || !SkipCommand(s, ref i, (byte)']') || i >= s.Length || s[i] != (byte)']')
                return "a \"[pid N]\" prefix is not closed";
            i++;
            SkipSpaces(s, ref i);
        }
        // "1234  " (strace -f -o FILE), "1234<sh> " with -Y
        else if (s.Length > 0 && IsDigit(s[0]))
        {
            int j = 0;
            while (j < s.Length && IsDigit(s[j]))
                j++;
            if (j < s.Length && (s[j] == (byte)' ' || s[j] == (byte)'<'))
            {
                if (!TryParseInt(s, ref i, out tid) || i != j || !SkipCommand(s, ref i, (byte)' '))
                    return "the thread id is not a number strace writes";
                SkipSpaces(s, ref i);
            }
        }
        else
        {
            // -r alone right-aligns its delta: "     0.000027 brk(NULL) = ...".
            SkipSpaces(s, ref i);
        }

        DateTime timestamp = default;
        _lineRelative = TimeSpan.Zero;
        _lineIp = 0;
        bool relativeGiven = false;
        if (i < s.Length && IsDigit(s[i]))
        {
            long before = _relativeTicks;
            _lastRelative = false;
            if (!TryParseTime(s, ref i, out timestamp))
                return "the time stamp is not of a form strace writes (-t, -tt, -ttt, -r, --timestamps)";
            if (_relativeTicks != before || _lastRelative)
            {
                _lineRelative = new TimeSpan(_relativeTicks - before);
                relativeGiven = true;
            }
            SkipSpaces(s, ref i);
            // -t with -r: "10:00:00.000001 (+     0.000027) ".
            if (s[i..].StartsWith("(+"u8))
            {
                int close = s[i..].IndexOf((byte)')');
                if (close < 0 || !TryParseSeconds(s.Slice(i + 2, close - 2).Trim((byte)' '), out long delta))
                    return "the relative time \"(+ seconds)\" after the time stamp is malformed";
                _lineRelative = new TimeSpan(delta);
                relativeGiven = true;
                i += close + 1;
                SkipSpaces(s, ref i);
            }
        }
        if (timestamp != default)
        {
            // Without -r, the time since the line before (strace -r's measure) from the time stamps.
            if (!relativeGiven && _previousLineTime != default && timestamp > _previousLineTime)
                _lineRelative = timestamp - _previousLineTime;
            _previousLineTime = timestamp;
        }

        // -n "[ 257] " then -i "[00007f0d1c2a3b4c] " (or "[????????????????] " where strace has none).
        if (i < s.Length && s[i] == (byte)'[' && !s[i..].StartsWith("[ Process PID="u8))
        {
            _bracketIp = 0;
            string? problem = SkipBracketedNumber(s, ref i, decimalNumber: true);
            if (problem is not null)
                return problem;
            if (i < s.Length && s[i] == (byte)'[' && !s[i..].StartsWith("[ Process PID="u8)
                && (problem = SkipBracketedNumber(s, ref i, decimalNumber: false)) is not null)
                return problem;
            _lineIp = _bracketIp;
        }

        ReadOnlySpan<byte> body = s[i..];
        if (body.StartsWith("--- "u8))
            return ParseSignal(tid, timestamp, body);
        if (body.StartsWith("+++ "u8))
            return ParseExit(tid, timestamp, body);
        if (body.StartsWith("<... "u8))
            return ParseResumed(tid, timestamp, body);
        if (body.StartsWith("[ Process PID="u8))
            return ParseArchitectureNote(body);
        if (body.StartsWith("strace: "u8) || body.StartsWith("????"u8))
            return null;
        return ParseCall(tid, timestamp, body);
    }

    /// <summary>The column names strace -c and -U write in a summary's header.</summary>
    private static readonly HashSet<string> SummaryColumns = new(StringComparer.Ordinal)
    {
        "%", "time", "seconds", "usecs/call", "shortest", "longest", "calls", "errors", "syscall",
    };

    /// <summary>A -c summary's header ("% time     seconds  usecs/call     calls    errors syscall", or
    /// the -U columns chosen), or its "System call usage summary for 32 bit mode:" title.</summary>
    private static bool IsSummaryHeader(ReadOnlySpan<byte> s)
    {
        if (s.IndexOf((byte)'(') >= 0)
            return false; // every call line has its argument list
        if (s.StartsWith("System call usage summary for "u8))
            return true;
        int columns = 0;
        foreach (Range r in s.Split((byte)' '))
        {
            ReadOnlySpan<byte> token = s[r];
            if (token.IsEmpty)
                continue;
            if (!SummaryColumns.Contains(Encoding.ASCII.GetString(token)))
                return false;
            columns++;
        }
        return columns >= 2;
    }

    /// <summary>A row of the summary: a "------ -----" rule, or numbers and one call name or "total".</summary>
    private static bool IsSummaryRow(ReadOnlySpan<byte> s)
    {
        if (s.IndexOfAnyExcept((byte)'-', (byte)' ') < 0)
            return true;
        bool named = false;
        foreach (Range r in s.Split((byte)' '))
        {
            ReadOnlySpan<byte> token = s[r];
            if (token.IsEmpty)
                continue;
            if (token.IndexOfAnyExcept(SummaryNumber) < 0)
                continue;
            if (named || !IsName(token))
                return false; // one call name (or "total") a row, wherever -U put its column
            named = true;
        }
        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> SummaryNumber = System.Buffers.SearchValues.Create("0123456789."u8);

    /// <summary>Skips -Y's "&lt;comm&gt;" after a thread id, up to the <paramref name="end"/> that follows
    /// it (a command name may hold spaces and '&gt;' itself); true when there is none.</summary>
    private static bool SkipCommand(ReadOnlySpan<byte> s, ref int i, byte end)
    {
        if (i >= s.Length || s[i] != (byte)'<')
            return true;
        ReadOnlySpan<byte> close = [(byte)'>', end];
        int at = s[i..].IndexOf(close);
        if (at < 0)
            return false;
        i += at + 1;
        return true;
    }

    /// <summary>Skips "[ 257] " (-n: spaces and a decimal syscall number) or, when that is not what
    /// is there, "[00007f0d1c2a3b4c] " (-i: the instruction pointer in hex, or question marks).</summary>
    private string? SkipBracketedNumber(ReadOnlySpan<byte> s, ref int i, bool decimalNumber)
    {
        int close = s[i..].IndexOf((byte)']');
        if (close < 0)
            return "a \"[...]\" prefix is not closed";
        ReadOnlySpan<byte> inside = s.Slice(i + 1, close - 1);
        ReadOnlySpan<byte> number = inside.TrimStart((byte)' ');
        bool isDecimal = !number.IsEmpty && number.Length <= 10 && number.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
        bool isPointer = inside.Length is 8 or 16 && (inside.IndexOfAnyExcept(HexDigits) < 0 || inside.IndexOfAnyExcept((byte)'?') < 0);
        if (isPointer && (!decimalNumber || !isDecimal))
            _bracketIp = inside[0] == (byte)'?' ? 0 : ulong.Parse(Encoding.ASCII.GetString(inside), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (decimalNumber ? !isDecimal && !isPointer : !isPointer)
            return decimalNumber
                ? "expected a syscall number \"[ 257]\" (-n) or an instruction pointer \"[00007f...]\" (-i) in the brackets"
                : "expected an instruction pointer \"[00007f...]\" (-i) in the brackets";
        i += close + 1;
        if (i >= s.Length || s[i] != (byte)' ')
            return "no space after the \"[...]\" prefix";
        SkipSpaces(s, ref i);
        return null;
    }

    private ulong _bracketIp;
    private bool _lastRelative;

    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private string? ParseCall(int tid, DateTime timestamp, ReadOnlySpan<byte> body)
    {
        int open = body.IndexOf((byte)'(');
        if (open <= 0 || !IsName(body[..open]))
            return "expected a system call (name(arguments) = result), a signal (--- SIG... ---) or an exit (+++ ... +++)";
        string name = _strings.Get(body[..open]);
        if (!IsSyscallName(name))
            return $"'{name}' is not the name of a system call";
        ReadOnlySpan<byte> rest = body[(open + 1)..];

        ReadOnlySpan<byte> detached = " <detached ...>"u8;
        if (rest.EndsWith(detached))
        {
            // strace -b execve: the tracer let the thread go inside this call.
            if (_pending.Remove(tid, out Pending? stale))
                EmitEvent(NewCall(tid, stale.Name, stale.Arguments, stale.Timestamp, unfinished: true));
            SyscallEvent d = NewCall(tid, name, Encoding.UTF8.GetString(rest[..^detached.Length]), timestamp, unfinished: true);
            d.Detached = true;
            EmitEvent(d);
            return null;
        }
        ReadOnlySpan<byte> unfinished = " <unfinished ...>"u8;
        if (rest.EndsWith(unfinished))
        {
            string prefix = Encoding.UTF8.GetString(rest[..^unfinished.Length]);
            if (_pending.Remove(tid, out Pending? stale))
                EmitEvent(NewCall(tid, stale, unfinished: true));
            else if (_pending.Count >= MaxPendingCalls)
                EmitPending(); // more open calls than a machine has threads: the file is hostile or broken
            _pending[tid] = new Pending(name, prefix, timestamp, _lineRelative, _lineIp);
            if (IsCloneName(name))
                _tracker.CloneStarted(tid, prefix.Contains("CLONE_THREAD", StringComparison.Ordinal));
            return null;
        }

        int close = FindCallEnd(rest);
        if (close < 0)
            return "the argument list is not closed (a truncated line?)";
        string arguments = Encoding.UTF8.GetString(rest[..close]);
        return EmitCall(tid, name, arguments, timestamp, rest[(close + 1)..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private string? ParseResumed(int tid, DateTime timestamp, ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> marker = " resumed>"u8;
        int end = body.IndexOf(marker);
        if (end < 0)
            return "a \"<... name resumed>\" line without its marker";
        string name = _strings.Get(body[5..end]);
        if (!IsSyscallName(name))
            return $"'{name}' is not the name of a system call";
        ReadOnlySpan<byte> rest = body[(end + marker.Length)..];
        int close = FindCallEnd(rest);
        if (close < 0)
            return "the argument list is not closed (a truncated line?)";

        string arguments = Encoding.UTF8.GetString(rest[..close]);
        if (_pending.Remove(tid, out Pending? p) && p.Name == name)
        {
            arguments = p.Arguments + arguments;
            timestamp = p.Timestamp;
            _lineRelative = p.RelativeTime; // the call's prefixes are those of its first half
            _lineIp = p.InstructionPointer;
        }
        else if (p is not null)
        {
            EmitEvent(NewCall(tid, p, unfinished: true));
        }
        if (IsCloneName(name))
            _tracker.CloneEnded(tid);
        return EmitCall(tid, name, arguments, timestamp, rest[(close + 1)..]);
    }

    /// <summary>A call that returned: its event, with the result after the argument list.</summary>
    private string? EmitCall(int tid, string name, string arguments, DateTime timestamp, ReadOnlySpan<byte> result)
    {
        SyscallEvent e = NewCall(tid, name, arguments, timestamp, unfinished: false);
        string? problem = ParseResult(result, e);
        if (problem is not null)
            return problem;
        EmitEvent(e);
        return null;
    }

    /// <summary>Every name strace can print for a call: one of the syscall tables' (x86_64, i386, x32),
    /// or "syscall_0x1c9" for a number it has no name for.</summary>
    private static readonly HashSet<string> SyscallNames = SyscallTable.All.SelectMany(t => t.Names).ToHashSet(StringComparer.Ordinal);

    private static bool IsSyscallName(string name)
        => SyscallNames.Contains(name)
           || (name.StartsWith("syscall_0x", StringComparison.Ordinal) && name.Length > 10
               && name.AsSpan(10).IndexOfAnyExcept(HexDigitChars) < 0);

    private static readonly System.Buffers.SearchValues<char> HexDigitChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsCloneName(string name) => name is "clone" or "clone3" or "fork" or "vfork";

    private SyscallEvent NewCall(int tid, Pending p, bool unfinished)
    {
        SyscallEvent e = NewCall(tid, p.Name, p.Arguments, p.Timestamp, unfinished);
        e.RelativeTime = p.RelativeTime;
        e.InstructionPointer = p.InstructionPointer;
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private SyscallEvent NewCall(int tid, string name, string arguments, DateTime timestamp, bool unfinished)
    {
        SyscallArchitecture architecture = _architectures.TryGetValue(tid, out SyscallArchitecture a) ? a : SyscallArchitecture.X86_64;
        var e = new SyscallEvent
        {
            Timestamp = timestamp,
            ThreadId = tid,
            ProcessId = tid,
            Name = name,
            Architecture = architecture,
            Arguments = arguments,
            Unfinished = unfinished,
            RelativeTime = _lineRelative,
            InstructionPointer = _lineIp,
        };
        if (SyscallTable.For(architecture).TryGetNumber(name, out int number))
            e.Number = number;
        else if (name.StartsWith("syscall_0x", StringComparison.Ordinal)
                 && int.TryParse(name.AsSpan(10), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out number))
            e.Number = number & ~AuditArch.X32SyscallBit;
        SyscallArgumentRoles.Roles roles = SyscallArgumentRoles.Get(name);
        e.Class = roles.Classes;
        if (roles.PathArgument >= 0 || roles.FdArgument >= 0)
            FillPathAndFd(e, roles);
        return e;
    }

    /// <summary>The result after the closing parenthesis: " = 3&lt;/etc/passwd&gt; &lt;0.000012&gt;",
    /// "= -1 ENOENT (No such file or directory)", "= ?", "= 0x7f.. (INJECTED)"...</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static string? ParseResult(ReadOnlySpan<byte> s, SyscallEvent e)
    {
        int i = 0;
        SkipSpaces(s, ref i);
        if (i >= s.Length || s[i] != (byte)'=')
            return "no \" = result\" after the arguments (a truncated line?)";
        i++;
        SkipSpaces(s, ref i);
        ReadOnlySpan<byte> r = s[i..].TrimEnd(" "u8);

        // "= ? <unavailable>": strace could not read the result (-e status=unavailable).
        bool unavailable = false;
        if (r.EndsWith(" <unavailable>"u8))
        {
            unavailable = true;
            r = r[..^14].TrimEnd(" "u8);
        }
        // " <0.000012>" (-T) at the very end.
        if (r.Length > 0 && r[^1] == (byte)'>')
        {
            int lt = r.LastIndexOf(" <"u8);
            if (lt >= 0 && TryParseSeconds(r[(lt + 2)..^1], out long ticks))
            {
                e.Duration = new TimeSpan(ticks);
                r = r[..lt].TrimEnd(" "u8);
            }
        }
        // -e inject: " (INJECTED)" for a changed result, " (DELAYED)" for a delay (strace does not say how long).
        bool delayed = false;
        bool poked = false;
        while (true)
        {
            if (r.EndsWith(" (INJECTED: args)"u8) || r.EndsWith(" (INJECTED: args, retval)"u8))
            {
                // poke_enter/poke_exit wrote into the call's memory (and error=/retval= changed its result).
                bool retval = r[^2] == (byte)'l';
                poked = true;
                e.Injected = retval;
                r = r[..r.LastIndexOf(" (INJECTED"u8)].TrimEnd(" "u8);
                continue;
            }
            if (r.EndsWith(" (INJECTED)"u8))
            {
                e.Injected = true;
                r = r[..^11].TrimEnd(" "u8);
            }
            else if (r.EndsWith(" (DELAYED)"u8))
            {
                delayed = true;
                r = r[..^10].TrimEnd(" "u8);
            }
            else
            {
                break;
            }
        }
        if (r.IsEmpty)
            return "the result is missing";
        // Where the event type lets the result text be set (the decoder sets it for live events:
        // "3</etc/passwd>", "0x7f3b41094000"), keep strace's own rendering of it.
        ResultText?.ParseText(Encoding.UTF8.GetString(r), e);

        int j = 0;
        if (r[0] == (byte)'?')
        {
            j = 1;
            SkipSpaces(r, ref j);
            if (j < r.Length && r[j] == (byte)'E')
            {
                e.ReturnValue = -1;
                e.Errno = ReadErrno(r, j);
            }
            else
            {
                e.Unfinished = true;
                e.Duration = TimeSpan.Zero;
            }
        }
        else
        {
            if (!TryParseReturn(r, ref j, out long value))
                return $"the result '{Encoding.UTF8.GetString(r)}' is not a number";
            e.ReturnValue = value;
            SkipSpaces(r, ref j);
            if (value == -1 && j < r.Length && r[j] == (byte)'E')
                e.Errno = ReadErrno(r, j);
        }
        if (e.Injected)
            e.Fault = e.Errno is null ? "retval=" + e.ReturnValue.ToString(CultureInfo.InvariantCulture) : "error=" + e.Errno;
        if (delayed)
        {
            e.Fault = e.Injected ? e.Fault + ":delay" : "delay";
            e.Injected = true;
        }
        if (unavailable)
        {
            e.Unavailable = true;
            e.Unfinished = true;
            e.Duration = TimeSpan.Zero;
        }
        if (poked)
        {
            e.Fault = e.Injected ? e.Fault + ":poke" : "poke";
            e.Injected = true;
        }
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static string ReadErrno(ReadOnlySpan<byte> r, int start)
    {
        int end = start;
        while (end < r.Length && (IsUpper(r[end]) || IsDigit(r[end]) || r[end] == (byte)'_'))
            end++;
        string name = Encoding.ASCII.GetString(r[start..end]);
        return ErrnoNames.TryParse(name, out int n) ? ErrnoNames.GetName(n) ?? name : name;
    }

    private string? ParseSignal(int tid, DateTime timestamp, ReadOnlySpan<byte> body)
    {
        // --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=8285, si_uid=0, si_status=0, ...} ---
        ReadOnlySpan<byte> rest = body[4..];
        if (!rest.StartsWith("SIG"u8))
            return null; // "--- stopped by SIGSTOP ---" and similar notes carry no event
        int space = rest.IndexOf((byte)' ');
        if (space < 0)
            return "a signal line is incomplete";
        string signal = _strings.Get(rest[..space]);
        var e = new SignalEvent { Timestamp = timestamp, ThreadId = tid, ProcessId = tid, Signal = signal, RelativeTime = _lineRelative, InstructionPointer = _lineIp };
        if (SignalNames.TryParse(signal, out int number))
            e.SignalNumber = number;
        int open = rest.IndexOf((byte)'{');
        int close = rest.LastIndexOf((byte)'}');
        if (open < 0 || close < open || !rest.EndsWith(" ---"u8))
            return "a signal line is incomplete";
        foreach ((string key, string value) in Fields(rest[(open + 1)..close]))
        {
            switch (key)
            {
                case "si_code":
                    e.Code = value;
                    break;
                case "si_pid":
                    e.SenderProcessId = ParseInt(value);
                    break;
                case "si_uid":
                    e.SenderUserId = ParseInt(value);
                    break;
                case "si_status" when value.StartsWith("SIG", StringComparison.Ordinal) && SignalNames.TryParse(value, out int status):
                    e.Value = status; // CLD_KILLED, CLD_DUMPED, CLD_STOPPED: strace names the signal
                    break;
                case "si_status" or "si_int" or "si_value":
                    e.Value = ParseLong(value);
                    break;
                case "si_utime":
                    e.ChildUserTime = ParseLong(value);
                    break;
                case "si_stime":
                    e.ChildSystemTime = ParseLong(value);
                    break;
                case "si_addr":
                    e.Value = value == "NULL" ? 0 : ParseLong(value);
                    break;
            }
        }
        EmitEvent(e);
        return null;
    }

    private string? ParseExit(int tid, DateTime timestamp, ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> text = body[4..];
        var e = new ProcessExitEvent { Timestamp = timestamp, ThreadId = tid, ProcessId = tid, RelativeTime = _lineRelative };
        if (text.StartsWith("exited with "u8))
        {
            int i = 12;
            if (!TryParseInt(text, ref i, out int code))
                return "an exit line without its status";
            e.ExitCode = code;
        }
        else if (text.StartsWith("killed by "u8))
        {
            ReadOnlySpan<byte> sig = text[10..];
            int end = sig.IndexOf((byte)' ');
            string name = Encoding.ASCII.GetString(end < 0 ? sig : sig[..end]);
            e.Signal = name;
            e.CoreDumped = sig.IndexOf("(core dumped)"u8) >= 0;
            e.ExitCode = SignalNames.TryParse(name, out int n) ? 128 + n : 128;
        }
        else
        {
            return null; // "+++ superseded by execve in pid N +++" and other notes
        }
        if (_pending.Remove(tid, out Pending? p))
            EmitEvent(NewCall(tid, p, unfinished: true));
        EmitEvent(e);
        return null;
    }

    private string? ParseArchitectureNote(ReadOnlySpan<byte> body)
    {
        // [ Process PID=1234 runs in 32 bit mode. ]
        int i = "[ Process PID="u8.Length;
        if (!TryParseInt(body, ref i, out int pid))
            return "an ABI note without a process id";
        ReadOnlySpan<byte> rest = body[i..];
        _architectures[pid] = rest.IndexOf("32 bit"u8) >= 0 ? SyscallArchitecture.I386
            : rest.IndexOf("x32"u8) >= 0 ? SyscallArchitecture.X32
            : SyscallArchitecture.X86_64;
        return null;
    }

    // ---- arguments ---------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static void FillPathAndFd(SyscallEvent e, SyscallArgumentRoles.Roles roles)
    {
        ReadOnlySpan<char> args = e.Arguments;
        int index = 0, start = 0, depth = 0;
        for (int i = 0; i <= args.Length; i++)
        {
            // Jump to the next character that matters; past the end, a comma closes the last argument.
            int next = i < args.Length ? args[i..].IndexOfAny(ArgumentSyntax) : 0;
            i = next < 0 ? args.Length : i + next;
            char c = i < args.Length ? args[i] : ',';
            switch (c)
            {
                case '"':
                    i = SkipString(args, i);
                    if (i < 0)
                        return;
                    break;
                case '<' when i > 0 && (char.IsAsciiDigit(args[i - 1]) || args[i - 1] == 'D'):
                    i = SkipAnnotation(args, i);
                    if (i < 0)
                        return;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case ',' when depth == 0:
                    ReadOnlySpan<char> arg = args[start..i].Trim();
                    if (index == roles.PathArgument)
                        e.Path = ParsePath(arg);
                    if (index == roles.FdArgument)
                        e.Fd = ParseFd(arg);
                    index++;
                    start = i + 1;
                    if (index > roles.PathArgument && index > roles.FdArgument)
                        return;
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static string? ParsePath(ReadOnlySpan<char> arg)
    {
        if (arg.Length < 2 || arg[0] != '"')
            return null;
        int end = SkipString(arg, 0);
        if (end < 0)
            return null;
        return Unescape(arg[1..end]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static int? ParseFd(ReadOnlySpan<char> arg)
    {
        // AT_FDCWD is "no descriptor" (relative to the working directory), as the live decoder has it.
        if (arg.StartsWith("AT_FDCWD"))
            return null;
        int lt = arg.IndexOf('<');
        if (lt >= 0)
            arg = arg[..lt];
        return int.TryParse(arg, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int fd) ? fd : null;
    }

    /// <summary>strace's C-style escapes (\n \t \" \\ \ooo \xhh) back to the bytes, read as UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    internal static string Unescape(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\\') < 0)
            return new string(s);
        var bytes = new List<byte>(s.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                int n = Encoding.UTF8.GetBytes(s.Slice(i, char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1), utf8);
                for (int k = 0; k < n; k++) bytes.Add(utf8[k]);
                if (char.IsHighSurrogate(c)) i++;
                continue;
            }
            char n1 = s[++i];
            switch (n1)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'v': bytes.Add((byte)'\v'); break;
                case 'f': bytes.Add((byte)'\f'); break;
                case 'x':
                    int hex = 0, digits = 0;
                    while (digits < 2 && i + 1 < s.Length && char.IsAsciiHexDigit(s[i + 1]))
                    {
                        hex = hex * 16 + Convert.ToInt32(s[++i].ToString(), 16);
                        digits++;
                    }
                    bytes.Add((byte)hex);
                    break;
                case >= '0' and <= '7':
                    int oct = n1 - '0', count = 1;
                    while (count < 3 && i + 1 < s.Length && s[i + 1] is >= '0' and <= '7')
                    {
                        oct = oct * 8 + (s[++i] - '0');
                        count++;
                    }
                    bytes.Add((byte)oct);
                    break;
                default: bytes.Add((byte)n1); break;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Index of the ')' that closes the call's argument list, skipping strings, nested
    /// brackets and -y annotations; -1 when the line ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static int FindCallEnd(ReadOnlySpan<byte> s)
    {
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            // Jump to the next byte that matters (vectorized); most of a line is plain text.
            int next = s[i..].IndexOfAny(CallSyntax);
            if (next < 0)
                return -1;
            i += next;
            switch (s[i])
            {
                case (byte)'"':
                    i = SkipString(s, i);
                    if (i < 0)
                        return -1;
                    break;
                case (byte)'<' when i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == (byte)'D'):
                    i = SkipAnnotation(s, i);
                    if (i < 0)
                        return -1;
                    break;
                case (byte)'(' or (byte)'[' or (byte)'{':
                    depth++;
                    break;
                case (byte)']' or (byte)'}':
                    depth--;
                    break;
                case (byte)')':
                    if (depth == 0)
                        return i;
                    depth--;
                    break;
            }
        }
        return -1;
    }

    private static readonly System.Buffers.SearchValues<char> ArgumentSyntax = System.Buffers.SearchValues.Create("\"<([{)]},");

    private static readonly System.Buffers.SearchValues<byte> CallSyntax = System.Buffers.SearchValues.Create("\"<([{]})"u8);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static int SkipString<T>(ReadOnlySpan<T> s, int quote) where T : unmanaged, IEquatable<T>
    {
        T q = Cast<T>('"'), backslash = Cast<T>('\\');
        for (int i = quote + 1; i < s.Length; i++)
        {
            int next = s[i..].IndexOfAny(q, backslash);
            if (next < 0)
                return -1;
            i += next;
            if (s[i].Equals(q))
                return i;
            i++; // the escaped character
        }
        return -1;
    }

    /// <summary>Skips a -y annotation ("&lt;/etc/passwd&gt;", "&lt;UNIX:[1-&gt;2]&gt;"): '&gt;' inside brackets does not end it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static int SkipAnnotation<T>(ReadOnlySpan<T> s, int lt) where T : unmanaged, IEquatable<T>
    {
        T open = Cast<T>('['), close = Cast<T>(']'), gt = Cast<T>('>'), backslash = Cast<T>('\\');
        int brackets = 0;
        for (int i = lt + 1; i < s.Length; i++)
        {
            int next = s[i..].IndexOfAny([backslash, open, close, gt]);
            if (next < 0)
                return -1;
            i += next;
            T c = s[i];
            if (c.Equals(backslash)) i++;
            else if (c.Equals(open)) brackets++;
            else if (c.Equals(close)) brackets--;
            else if (brackets <= 0) return i;
        }
        return -1;
    }

    private static T Cast<T>(char c) where T : unmanaged
        => typeof(T) == typeof(byte) ? (T)(object)(byte)c : (T)(object)c;

    private static IEnumerable<(string Key, string Value)> Fields(ReadOnlySpan<byte> s)
    {
        var list = new List<(string, string)>();
        foreach (string part in Encoding.UTF8.GetString(s).Split(", "))
        {
            int eq = part.IndexOf('=');
            if (eq > 0)
                list.Add((part[..eq], part[(eq + 1)..]));
        }
        return list;
    }

    // ---- numbers and times ------------------------------------------------------------------

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsUpper(byte b) => (uint)(b - 'A') <= 25;

    private static bool IsName(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
            if (!(IsDigit(b) || (uint)(b - 'a') <= 25 || IsUpper(b) || b == (byte)'_'))
                return false;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static void SkipSpaces(ReadOnlySpan<byte> s, ref int i)
    {
        while (i < s.Length && s[i] == (byte)' ')
            i++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static bool TryParseInt(ReadOnlySpan<byte> s, ref int i, out int value)
    {
        long v = 0;
        bool negative = i < s.Length && s[i] == (byte)'-';
        int start = negative ? ++i : i;
        while (i < s.Length && IsDigit(s[i]) && i - start < 10)
            v = v * 10 + (s[i++] - '0');
        value = (int)(negative ? -v : v);
        return i > start;
    }

    private static int ParseInt(string s) => (int)ParseLong(s);

    private static long ParseLong(string s)
    {
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return (long)ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || (end == 0 && s[end] == '-')))
            end++;
        return end == 0 ? 0 : long.Parse(s.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>A return value: decimal, 0x hex (addresses) or 0-prefixed octal (umask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static bool TryParseReturn(ReadOnlySpan<byte> s, ref int i, out long value)
    {
        value = 0;
        bool negative = i < s.Length && s[i] == (byte)'-';
        if (negative)
            i++;
        int start = i;
        if (s[i..].StartsWith("0x"u8))
        {
            i += 2;
            start = i;
            ulong v = 0;
            while (i < s.Length && char.IsAsciiHexDigit((char)s[i]))
                v = v * 16 + (ulong)HexValue(s[i++]);
            value = negative ? -(long)v : (long)v;
            return i > start;
        }
        int radix = i + 1 < s.Length && s[i] == (byte)'0' && IsDigit(s[i + 1]) ? 8 : 10;
        ulong u = 0;
        while (i < s.Length && IsDigit(s[i]))
            u = u * (ulong)radix + (ulong)(s[i++] - '0');
        value = negative ? -(long)u : (long)u;
        return i > start;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>"0.000012" (seconds, any number of decimals) to ticks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private static bool TryParseSeconds(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        int i = 0;
        long seconds = 0;
        while (i < s.Length && IsDigit(s[i]) && i < 11)
            seconds = seconds * 10 + (s[i++] - '0');
        if (i == 0)
            return false;
        long fraction = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && IsDigit(s[i]))
            {
                scale /= 10;
                fraction += (s[i++] - '0') * scale;
            }
        }
        if (i != s.Length)
            return false;
        ticks = seconds * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    /// <summary>Seconds below this (2001-09-09 as a Unix time) are -r's delta from the line before,
    /// not -ttt's time since the epoch: no trace is that old, no gap between two lines that long.</summary>
    private const long RelativeSecondsBelow = 1_000_000_000;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see RecordParser
    private bool TryParseTime(ReadOnlySpan<byte> s, ref int i, out DateTime time)
    {
        time = default;
        int start = i;
        while (i < s.Length && (IsDigit(s[i]) || s[i] == (byte)':' || s[i] == (byte)'.'))
            i++;
        ReadOnlySpan<byte> t = s[start..i];
        if (i < s.Length && s[i] != (byte)' ')
            return false;
        if (t.IndexOf((byte)':') >= 0)
        {
            // -t / -tt: HH:MM:SS[.ffffff], local time of day; the date comes from the file.
            if (t.Length < 8 || t[2] != (byte)':' || t[5] != (byte)':'
                || !IsDigit(t[0]) || !IsDigit(t[1]) || !IsDigit(t[3]) || !IsDigit(t[4]) || !IsDigit(t[6]) || !IsDigit(t[7])
                || (t.Length > 8 && t[8] != (byte)'.'))
                return false;
            int hours = (t[0] - '0') * 10 + (t[1] - '0'), minutes = (t[3] - '0') * 10 + (t[4] - '0'), seconds = (t[6] - '0') * 10 + (t[7] - '0');
            // 60 is a leap second, which strace prints as the C library gives it.
            if (hours > 23 || minutes > 59 || seconds > 60)
                return false;
            long tod = hours * TimeSpan.TicksPerHour + minutes * TimeSpan.TicksPerMinute;
            if (!TryParseSeconds(t[6..], out long secondTicks))
                return false;
            tod += secondTicks;
            if (_lastTimeOfDay < 0)
            {
                _date = _fileTime.Date;
                // A trace that began before midnight and was written after it.
                if (tod > _fileTime.TimeOfDay.Ticks + TimeSpan.TicksPerMinute)
                    _date = _date.AddDays(-1);
            }
            else if (tod < _lastTimeOfDay - TimeSpan.TicksPerHour)
            {
                _date = _date.AddDays(1);
            }
            _lastTimeOfDay = tod;
            time = new DateTime(_date.Ticks + tod, DateTimeKind.Local);
            return true;
        }
        if (!TryParseSeconds(t, out long ticks))
            return false;
        if (ticks < RelativeSecondsBelow * TimeSpan.TicksPerSecond)
        {
            _lastRelative = true;
            // -r: the time since the line before. The first line's is 0, and strace created the file
            // just before it: the deltas are added up from the file's creation time.
            _relativeTicks += ticks;
            time = new DateTime(_relativeStart.Ticks + _relativeTicks, DateTimeKind.Local);
            return true;
        }
        // -ttt, --timestamps=unix: seconds since the epoch.
        if (ticks > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks - TimeSpan.TicksPerDay)
            return false;
        time = new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc).ToLocalTime();
        return true;
    }
}
