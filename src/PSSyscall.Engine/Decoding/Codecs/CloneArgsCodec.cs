using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>clone3's struct clone_args (its size in the next argument, 88 bytes at most read), and
/// the parent_tid the call wrote: {flags=..., exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {parent_tid=[42]}.</summary>
internal sealed class CloneArgsCodec(int sizeArgument) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan EntryPlan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, Argument: sizeArgument, Max: 88, Shape: CaptureShape.CloneArgs);

    public override CapturePlan ExitPlan { get; } = new(CaptureWhen.Exit, CaptureLength.Fixed, 4, Argument: sizeArgument, Shape: CaptureShape.CloneParentTid);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        // The kernel reads the size it is given: a struct that cannot be read whole is shown as
        // its address, as strace does after a short read.
        if (c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) && st == CaptureStatus.Ok && b.Length >= 64)
            CloneArgs(ref c, sb, b, i);
        else
            StraceText.Pointer(sb, v);
        return true;
    }

    internal static void CloneArgs(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, int i)
    {
        Span<ulong> words = stackalloc ulong[11];
        for (int k = 0; k < 11; k++) words[k] = (k + 1) * 8 <= b.Length ? BinaryPrimitives.ReadUInt64LittleEndian(b[(k * 8)..]) : 0;
        ulong[] w = words.ToArray();
        ulong U(int off) => w[off / 8];
        ulong flags = U(0);
        sb.Append("{flags=");
        Flags(sb, flags, FlagTables.CloneFlags, "CLONE_???");
        if ((flags & 0x1000) != 0) { sb.Append(", pidfd="); StraceText.Pointer(sb, U(8)); }
        if ((flags & (0x01000000 | 0x00200000)) != 0) { sb.Append(", child_tid="); StraceText.Pointer(sb, U(16)); }
        if ((flags & 0x00100000) != 0) { sb.Append(", parent_tid="); StraceText.Pointer(sb, U(24)); }
        sb.Append(", exit_signal=");
        ulong sig = U(32);
        if (sig == 0 || sig > 64) sb.Append(sig.ToString(Inv)); else DecodeText.Signal(sb, (int)sig);
        sb.Append(", stack=");
        StraceText.Pointer(sb, U(40));
        sb.Append(", stack_size=");
        StraceText.Hex(sb, U(48));
        if ((flags & 0x00080000) != 0)
        {
            // i386's tls is a struct user_desc (x86_64's an address).
            sb.Append(", tls=");
            if (c.Signature.Compat && U(56) != 0 && c.Data.TryGetFull(CaptureSlot.Extra, 16, out ReadOnlySpan<byte> desc)) UserDescCodec.UserDesc(sb, desc);
            else StraceText.Pointer(sb, U(56));
        }
        if (U(64) != 0 || U(72) != 0) { sb.Append(", set_tid="); StraceText.Pointer(sb, U(64)); sb.Append(", set_tid_size=").Append(U(72)); }
        if (((flags & 0x200000000) != 0 || U(80) != 0) && b.Length >= 88) { sb.Append(", cgroup=").Append(U(80)); }
        sb.Append('}');
        if ((flags & 0x00100000) != 0 && !c.Failed && !c.Unfinished && U(24) == 0)
            sb.Append(" => {parent_tid=NULL}");
        else if ((flags & 0x00100000) != 0 && !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 4, out ReadOnlySpan<byte> tid))
            sb.Append(" => {parent_tid=[").Append(BinaryPrimitives.ReadInt32LittleEndian(tid).ToString(Inv)).Append("]}");
    }

    /// <summary>clone's flags and exit signal: CLONE_VM|...|SIGCHLD; with -X each part in its form
    /// (0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */).</summary>
    internal static void CloneFlagsText(StringBuilder sb, ulong flags)
    {
        ulong signal = flags & 0xff;
        ulong rest = flags & ~0xffUL;
        if (rest != 0)
            Flags(sb, rest, FlagTables.CloneFlags, "CLONE_???");
        if (signal != 0)
        {
            if (rest != 0) sb.Append('|');
            int mark = DecodeStyle.Begin(sb);
            sb.Append(SignalNames.GetName((int)signal));
            DecodeStyle.End(sb, mark, signal, DecodeStyle.Number.Decimal);
        }
        if (flags == 0) sb.Append('0');
    }
}
