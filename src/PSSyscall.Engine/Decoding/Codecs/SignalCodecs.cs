using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.DecodeText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A siginfo_t (waitid, rt_sigtimedwait, rt_sigqueueinfo, pidfd_send_signal) in strace's
/// form: the sender for user-sent signals, the child's state for SIGCHLD, nothing more for the
/// kernel's own (SI_KERNEL carries no sender), {} for an empty one.</summary>
internal sealed class SiginfoCodec(Direction direction) : ArgCodec
{
    public const int Size = 128;

    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(Size) : CapturePlan.AtExit(Size);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 48)
            return false;
        Print(sb, b);
        return true;
    }

    internal static void Print(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        int signo = BinaryPrimitives.ReadInt32LittleEndian(b);
        int code = BinaryPrimitives.ReadInt32LittleEndian(b[8..]);
        if (signo == 0)
        {
            sb.Append("{}");
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{si_signo=");
        DecodeText.Signal(sb, signo);
        sb.Append(", si_code=");
        DecodeText.Code(sb, SignalCodes.GetName(signo, code), code);
        int errno = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        if (errno != 0)
        {
            sb.Append(", si_errno=");
            DecodeText.Errno(sb, errno);
        }
        int pid = BinaryPrimitives.ReadInt32LittleEndian(b[16..]);
        uint raw = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]);
        string uid = raw == uint.MaxValue ? "-1" : raw.ToString(inv); // (uid_t)-1 as strace shows it
        if (code <= 0 && code != -2 /* SI_TIMER */)
        {
            sb.Append(", si_pid=").Append(pid.ToString(inv)).Append(", si_uid=").Append(uid);
            if (code is -1 /* SI_QUEUE */ or -3 /* SI_MESGQ */)
            {
                sb.Append(", si_int=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[24..]).ToString(inv)).Append(", si_ptr=");
                StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
            }
        }
        else if (signo == 17 /* SIGCHLD */ && code is >= 1 and <= 6)
        {
            int status = BinaryPrimitives.ReadInt32LittleEndian(b[24..]);
            sb.Append(", si_pid=").Append(pid.ToString(inv)).Append(", si_uid=").Append(uid).Append(", si_status=");
            if (code == 1 /* CLD_EXITED */) sb.Append(status.ToString(inv)); else sb.Append(SignalNames.GetName(status));
            sb.Append(", si_utime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[32..]).ToString(inv))
              .Append(", si_stime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[40..]).ToString(inv));
        }
        else if (signo is 4 /* SIGILL */ or 5 /* SIGTRAP */ or 7 /* SIGBUS */ or 8 /* SIGFPE */ or 11 /* SIGSEGV */ && code > 0 && code != 0x80 /* SI_KERNEL */)
        {
            sb.Append(", si_addr=");
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
        }
        else if (signo == 29 /* SIGIO */ && code > 0 && code != 0x80)
        {
            sb.Append(", si_band=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[16..]).ToString(inv))
              .Append(", si_fd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[24..]).ToString(inv));
        }
        sb.Append('}');
    }
}

/// <summary>A stack_t (sigaltstack): {ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=16384}.</summary>
internal sealed class SignalStackCodec(Direction direction) : ArgCodec
{
    private static readonly Named[] Flags = { new(1, "SS_ONSTACK"), new(2, "SS_DISABLE"), new(0x80000000, "SS_AUTODISARM") };

    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(24) : CapturePlan.AtExit(24);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 24)
            return false;
        sb.Append("{ss_sp=");
        StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
        sb.Append(", ss_flags=");
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), Flags, "SS_???");
        sb.Append(", ss_size=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[16..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        return true;
    }
}

/// <summary>A sigset_t: [INT CHLD] or ~[...], shown only when the call's sigsetsize argument is the
/// kernel's (8 on x86_64); the size argument also says how much to copy.</summary>
/// <remarks><paramref name="shortSizes"/>: rt_sigpending takes any size up to the kernel's 8 bytes
/// and strace shows that many bytes' signals.</remarks>
internal sealed class SigsetCodec(Direction direction, int sizeArgument, bool shortSizes = false) : ArgCodec
{
    private const int KernelSigsetSize = 8;

    public override CapturePlan Plan { get; } = new(direction == Direction.In ? CaptureWhen.Entry : CaptureWhen.Exit,
        CaptureLength.ArgumentCount, 1, sizeArgument, 128);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong size = c.Args[sizeArgument];
        // i386 (strace's m32 personality) takes a set of one 4-byte word too.
        if ((shortSizes ? size is 0 or > KernelSigsetSize : size != KernelSigsetSize && !(c.Signature.Compat && size == 4)) || b.Length < 1)
            return false;
        Sigset(sb, b);
        return true;
    }
}

/// <summary>struct sigaction (rt_sigaction's new and old action).</summary>
internal sealed class SigactionCodec(Direction direction) : FixedStructCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(32) : CapturePlan.AtExit(32);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Sigaction(sb, b);

    private static void Sigaction(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ulong handler = BinaryPrimitives.ReadUInt64LittleEndian(b);
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        ulong restorer = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        sb.Append("{sa_handler=");
        if (handler is 0 or 1)
        {
            int mark = DecodeStyle.Begin(sb);
            sb.Append(handler == 0 ? "SIG_DFL" : "SIG_IGN");
            DecodeStyle.End(sb, mark, handler);
        }
        else StraceText.Pointer(sb, handler);
        sb.Append(", sa_mask=");
        Sigset(sb, b.Slice(24, 8));
        sb.Append(", sa_flags=");
        Flags(sb, flags, SaFlags, "SA_???");
        if ((flags & 0x04000000) != 0)
        {
            sb.Append(", sa_restorer=");
            StraceText.Pointer(sb, restorer);
        }
        sb.Append('}');
    }
}

/// <summary>struct sigevent (timer_create, mq_notify): value, signal, notification.</summary>
internal sealed class SigeventCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // value, signo, notify, and the union's first two words
    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(32);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Sigevent(sb, b);

    /// <summary>struct sigevent: the value only when set, the signal by name when one is delivered.</summary>
    private static void Sigevent(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(b);
        int signo = BinaryPrimitives.ReadInt32LittleEndian(b[8..]);
        int notify = BinaryPrimitives.ReadInt32LittleEndian(b[12..]);
        sb.Append('{');
        if (value != 0)
        {
            sb.Append("sigev_value={sival_int=").Append(((int)value).ToString(Inv)).Append(", sival_ptr=");
            StraceText.Pointer(sb, value);
            sb.Append("}, ");
        }
        sb.Append("sigev_signo=");
        if (notify is 0 or 2 or 4) DecodeText.Signal(sb, signo); else sb.Append(((uint)signo).ToString(Inv));
        sb.Append(", sigev_notify=");
        FlagTables.Enum(sb, (uint)notify, SigevNotify, "SIGEV_???");
        if (notify == 2) // SIGEV_THREAD
        {
            sb.Append(", sigev_notify_function=");
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
            sb.Append(", sigev_notify_attributes=");
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
        }
        else if (notify == 4) // SIGEV_THREAD_ID
        {
            sb.Append(", sigev_notify_thread_id=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[16..]).ToString(Inv));
        }
        sb.Append('}');
    }
}
