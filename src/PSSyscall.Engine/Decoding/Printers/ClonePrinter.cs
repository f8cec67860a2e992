using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>clone(flags, stack, parent_tid, child_tid, tls) on x86_64, in strace's named form:
/// child_stack=..., flags=CLONE_VM|...|SIGCHLD, then parent_tid (written at exit with
/// CLONE_PARENT_SETTID), tls and child_tidptr only when the flags use them.</summary>
internal sealed class ClonePrinter : SyscallPrinter
{
    private const ulong CLONE_PARENT_SETTID = 0x00100000, CLONE_SETTLS = 0x00080000;
    private const ulong CLONE_CHILD_SETTID = 0x01000000, CLONE_CHILD_CLEARTID = 0x00200000;

    /// <summary>i386: the same bytes (the parent tid is an int).</summary>
    public override ConditionalPlan[]? CompatCaptures => Captures;

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { CLONE_PARENT_SETTID }, 2, CapturePlan.AtExit(4), Mask: CLONE_PARENT_SETTID),
    };

    public static readonly ClonePrinter Instance = new();

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong flags = c.Args[0];
        sb.Append("child_stack=");
        StraceText.Pointer(sb, c.Args[1]);
        sb.Append(", flags=");
        CloneArgsCodec.CloneFlagsText(sb, flags);
        if ((flags & CLONE_PARENT_SETTID) != 0)
        {
            sb.Append(", parent_tid=");
            if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 4, out ReadOnlySpan<byte> b))
                sb.Append('[').Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
            else
                StraceText.Pointer(sb, c.Args[2]);
        }
        if ((flags & CLONE_SETTLS) != 0)
        {
            sb.Append(", tls=");
            StraceText.Pointer(sb, c.Args[4]);
        }
        if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) != 0)
        {
            sb.Append(", child_tidptr=");
            StraceText.Pointer(sb, c.Args[3]);
        }
    }
}
