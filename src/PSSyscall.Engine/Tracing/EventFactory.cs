using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>Turns tracer records into pipeline objects, on the consumer's thread.</summary>
internal sealed class EventFactory
{
    private readonly DateTime _startUtc = DateTime.UtcNow;
    private readonly long _startTicks = Stopwatch.GetTimestamp();
    private readonly int _stringLimit;
    private readonly SyscallFilter _filter;

    /// <summary>[faults] The session's faults, to name the one that hit an injected call.</summary>
    public IReadOnlyList<SyscallFault> Faults { get; init; } = Array.Empty<SyscallFault>();

    /// <summary>The decoding forms of the trace (-X, -v, -x): each event keeps them for its lazy decode.</summary>
    public DecodeOptions Decode { get; init; }
    /// <summary>strace -e read=/write=: calls may carry a dump of their data.</summary>
    public bool DumpsIo { get; set; }

    /// <summary>strace -k: calls carry their stack.</summary>
    public bool HasStacks { get; set; }

    public EventFactory(int stringLimit = 32, SyscallFilter? filter = null)
    {
        _stringLimit = stringLimit;
        _filter = filter ?? SyscallFilter.All;
    }

    /// <summary>The event for a record, or null when a filter decided on decoded data (-Path) drops it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TraceEvent? Create(ref TraceRecord r, CaptureBuffer data)
    {
        ReadOnlySpan<byte> captures = r.Kind == TraceEventType.Syscall && r.DataLength > 0
            ? data.Data.AsSpan(r.DataStart, r.DataLength) : default;
        TraceEvent? e = r.Kind switch
        {
            TraceEventType.Syscall => CreateSyscall(ref r, captures),
            TraceEventType.Signal => CreateSignal(ref r),
            _ => CreateExit(ref r),
        };
        if (e is null)
            return null;
        e.Timestamp = ToLocalTime(r.Timestamp);
        // strace -r: since the event before began (never negative: overlapping threads give 0).
        e.RelativeTime = _previousTimestamp == 0 || r.Timestamp <= _previousTimestamp
            ? TimeSpan.Zero : MicrosecondsOf(Stopwatch.GetElapsedTime(_previousTimestamp, r.Timestamp));
        _previousTimestamp = Math.Max(_previousTimestamp, r.Timestamp);
        e.ProcessId = r.ProcessId;
        e.ThreadId = r.ThreadId;
        e.ParentProcessId = r.ParentProcessId;
        e.ProcessName = r.ProcessName ?? "";
        return e;
    }

    private long _previousTimestamp;

    private static TimeSpan MicrosecondsOf(TimeSpan t) => new(t.Ticks - t.Ticks % 10);

    private DateTime ToLocalTime(long stopwatchTicks)
    {
        TimeSpan offset = Stopwatch.GetElapsedTime(_startTicks, stopwatchTicks);
        // Microsecond precision, as strace -tt -T.
        long ticks = (_startUtc + offset).Ticks;
        return new DateTime(ticks - ticks % 10, DateTimeKind.Utc).ToLocalTime();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SyscallEvent? CreateSyscall(ref TraceRecord r, ReadOnlySpan<byte> captures)
    {
        bool unfinished = (r.Flags & TraceRecordFlags.Unfinished) != 0;
        SyscallTable table = SyscallTable.For(r.Architecture);
        SyscallSignature signature = table.GetSignature(r.Number);
        // x32 calls are named from their table but their memory is not decoded (i386 has its own
        // signatures, with the 32-bit layouts: SyscallSignatures.I386.cs).
        if (r.Architecture == SyscallArchitecture.X32 && signature.IsDecoded)
            signature = new SyscallSignature(signature.Name, signature.Classes, ReturnKind.Decimal, null, 6);
        ReadOnlySpan<ulong> args = [r.Arg0, r.Arg1, r.Arg2, r.Arg3, r.Arg4, r.Arg5];
        var data = new CapturedData(captures);
        if (_filter.PathBytes.Length > 0 && !TouchesPath(signature, args, data))
            return null;
        var e = new SyscallEvent
        {
            Name = table.GetDisplayName(r.Number),
            Class = signature.Classes,
            Number = r.Number,
            Architecture = r.Architecture,
            Unfinished = unfinished,
            Detached = (r.Flags & TraceRecordFlags.Detached) != 0,
            Argument0 = r.Arg0, Argument1 = r.Arg1, Argument2 = r.Arg2,
            Argument3 = r.Arg3, Argument4 = r.Arg4, Argument5 = r.Arg5,
            InstructionPointer = r.InstructionPointer,
        };
        if (!unfinished)
        {
            e.Duration = Stopwatch.GetElapsedTime(0, r.DurationTicks);
            e.SystemTime = new TimeSpan(r.SystemMicros * 10);
            long ret = r.ReturnValue;
            if (ret < 0 && ret >= -ErrnoNames.MaxErrno)
            {
                e.ReturnValue = -1;
                e.Errno = ErrnoNames.GetName((int)-ret) ?? ((int)-ret).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                e.ReturnValue = ret;
            }
        }
        // Arguments, Result and Path are formatted on first use (PendingDecode), from a copy of
        // the captures: the batch they live in is recycled once this batch is consumed.
        e.Pending = new PendingDecode(signature, r.ReturnValue, _stringLimit, captures, Decode);
        SetConvenienceProperties(e, signature, args, data);
        if (DumpsIo && data.TryGet(CaptureSlot.IoDump, out ReadOnlySpan<byte> dump, out _))
            e.HexDump = HexDump.Format(dump);
        if (HasStacks && data.TryGet(CaptureSlot.StackTrace, out ReadOnlySpan<byte> stack, out _))
            e.StackTrace = Encoding.UTF8.GetString(stack);
        if ((r.Flags & TraceRecordFlags.Injected) != 0) // [faults]
        {
            e.Injected = true;
            e.Fault = r.FaultIndex >= 0 && r.FaultIndex < Faults.Count ? Faults[r.FaultIndex].Effect : null;
        }
        return e;
    }

    /// <summary>Fd: the first descriptor argument (Path is decoded with the arguments, lazily).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SetConvenienceProperties(SyscallEvent e, SyscallSignature signature, ReadOnlySpan<ulong> args, CapturedData data)
    {
        if (signature.Arguments is not { } kinds)
            return;
        for (int i = 0; i < kinds.Length && i < 6; i++)
        {
            switch (kinds[i])
            {
                case ArgKind.Fd when e.Fd is null:
                    e.Fd = (int)args[i];
                    break;
                case ArgKind.DirFd when e.Fd is null && (int)args[i] != -100:
                    e.Fd = (int)args[i];
                    break;
            }
        }
    }

    /// <summary>strace -P: a path argument equal to one of the paths, or a descriptor argument
    /// whose link (what it refers to) is one of them.</summary>
    private bool TouchesPath(SyscallSignature signature, ReadOnlySpan<ulong> args, CapturedData data)
    {
        if (signature.Arguments is not { } kinds)
            return false;
        for (int i = 0; i < kinds.Length && i < 6; i++)
        {
            ReadOnlySpan<byte> b;
            switch (signature.Printer?.TracedAs(i, args) ?? kinds[i])
            {
                case ArgKind.Path:
                    if (data.TryGet(CaptureSlot.Entry(i), out b, out CaptureStatus st) && st == CaptureStatus.Ok && IsSelectedPath(b))
                        return true;
                    break;
                case ArgKind.Fd:
                case ArgKind.DirFd:
                    if ((int)args[i] != -100 && data.TryGetFull(CaptureSlot.FdLink(i), 1, out b) && IsSelectedPath(b))
                        return true;
                    break;
            }
        }
        return data.TryGetFull(CaptureSlot.ReturnFdLink, 1, out ReadOnlySpan<byte> ret) && IsSelectedPath(ret);
    }

    private bool IsSelectedPath(ReadOnlySpan<byte> path)
    {
        int nul = path.IndexOf((byte)0); // strace -yy's details after the link
        if (nul >= 0)
            path = path[..nul];
        foreach (byte[] p in _filter.PathBytes)
            if (path.SequenceEqual(p))
                return true;
        return false;
    }

    private static SignalEvent CreateSignal(ref TraceRecord r) => new()
    {
        Signal = SignalNames.GetName(r.Number),
        SignalNumber = r.Number,
        Code = SignalCodes.GetName(r.Number, (int)(long)r.Arg0),
        SenderProcessId = (int)(long)r.Arg1,
        SenderUserId = (int)(long)r.Arg2,
        Value = (long)r.Arg3,
        ChildUserTime = (long)r.Arg4,
        ChildSystemTime = (long)r.Arg5,
        InstructionPointer = r.InstructionPointer,
    };

    private static ProcessExitEvent CreateExit(ref TraceRecord r) => new()
    {
        ExitCode = (int)r.ReturnValue,
        Signal = r.Number == 0 ? null : SignalNames.GetName(r.Number),
        CoreDumped = (r.Flags & TraceRecordFlags.CoreDumped) != 0,
        IsRoot = (r.Flags & TraceRecordFlags.Root) != 0,
    };
}
