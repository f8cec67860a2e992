using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

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
        sb.Append("{si_signo=").Append(SignalNames.GetName(signo)).Append(", si_code=").Append(SignalCodes.GetName(signo, code));
        int errno = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        if (errno != 0)
            sb.Append(", si_errno=").Append(ErrnoNames.GetName(errno) ?? errno.ToString(inv));
        int pid = BinaryPrimitives.ReadInt32LittleEndian(b[16..]);
        uint uid = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]);
        if (code <= 0 && code != -2 /* SI_TIMER */)
        {
            sb.Append(", si_pid=").Append(pid.ToString(inv)).Append(", si_uid=").Append(uid.ToString(inv));
            if (code is -1 /* SI_QUEUE */ or -3 /* SI_MESGQ */)
            {
                sb.Append(", si_int=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[24..]).ToString(inv)).Append(", si_ptr=");
                StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
            }
        }
        else if (signo == 17 /* SIGCHLD */ && code is >= 1 and <= 6)
        {
            int status = BinaryPrimitives.ReadInt32LittleEndian(b[24..]);
            sb.Append(", si_pid=").Append(pid.ToString(inv)).Append(", si_uid=").Append(uid.ToString(inv)).Append(", si_status=");
            if (code == 1 /* CLD_EXITED */) sb.Append(status.ToString(inv)); else sb.Append(SignalNames.GetName(status));
            sb.Append(", si_utime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[32..]).ToString(inv))
              .Append(", si_stime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[40..]).ToString(inv));
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
