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
    private readonly StringBuilder _text = new(128);

    /// <summary>[faults] The session's faults, to name the one that hit an injected call.</summary>
    public IReadOnlyList<SyscallFault> Faults { get; init; } = Array.Empty<SyscallFault>();

    public TraceEvent Create(ref TraceRecord r)
    {
        TraceEvent e = r.Kind switch
        {
            TraceEventType.Syscall => CreateSyscall(ref r),
            TraceEventType.Signal => CreateSignal(ref r),
            _ => CreateExit(ref r),
        };
        e.Timestamp = ToLocalTime(r.Timestamp);
        e.ProcessId = r.ProcessId;
        e.ThreadId = r.ThreadId;
        e.ProcessName = r.ProcessName ?? "";
        return e;
    }

    private DateTime ToLocalTime(long stopwatchTicks)
    {
        TimeSpan offset = Stopwatch.GetElapsedTime(_startTicks, stopwatchTicks);
        // Microsecond precision, as strace -tt -T.
        long ticks = (_startUtc + offset).Ticks;
        return new DateTime(ticks - ticks % 10, DateTimeKind.Utc).ToLocalTime();
    }

    private SyscallEvent CreateSyscall(ref TraceRecord r)
    {
        bool unfinished = (r.Flags & TraceRecordFlags.Unfinished) != 0;
        var e = new SyscallEvent
        {
            Name = SyscallTable.For(r.Architecture).GetDisplayName(r.Number),
            Number = r.Number,
            Architecture = r.Architecture,
            Unfinished = unfinished,
            Argument0 = r.Arg0, Argument1 = r.Arg1, Argument2 = r.Arg2,
            Argument3 = r.Arg3, Argument4 = r.Arg4, Argument5 = r.Arg5,
        };
        if (!unfinished)
        {
            e.Duration = Stopwatch.GetElapsedTime(0, r.DurationTicks);
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
        e.Arguments = RawArguments(ref r);
        if ((r.Flags & TraceRecordFlags.Injected) != 0) // [faults]
        {
            e.Injected = true;
            e.Fault = r.FaultIndex >= 0 && r.FaultIndex < Faults.Count ? Faults[r.FaultIndex].Effect : null;
        }
        return e;
    }

    private string RawArguments(ref TraceRecord r)
    {
        _text.Clear();
        ReadOnlySpan<ulong> args = [r.Arg0, r.Arg1, r.Arg2, r.Arg3, r.Arg4, r.Arg5];
        for (int i = 0; i < args.Length; i++)
        {
            if (i > 0)
                _text.Append(", ");
            _text.Append("0x").Append(args[i].ToString("x", CultureInfo.InvariantCulture));
        }
        return _text.ToString();
    }

    private static SignalEvent CreateSignal(ref TraceRecord r) => new()
    {
        Signal = SignalNames.GetName(r.Number),
        SignalNumber = r.Number,
        Code = SignalCodes.GetName(r.Number, (int)(long)r.Arg0),
        SenderProcessId = (int)(long)r.Arg1,
        SenderUserId = (int)(long)r.Arg2,
        Value = (long)r.Arg3,
    };

    private static ProcessExitEvent CreateExit(ref TraceRecord r) => new()
    {
        ExitCode = (int)r.ReturnValue,
        Signal = r.Number == 0 ? null : SignalNames.GetName(r.Number),
        CoreDumped = (r.Flags & TraceRecordFlags.CoreDumped) != 0,
        IsRoot = (r.Flags & TraceRecordFlags.Root) != 0,
    };
}
