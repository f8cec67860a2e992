using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>kcmp(pid1, pid2, type, idx1, idx2): the indexes by type. KCMP_FILE compares two
/// descriptors, KCMP_EPOLL_TFD a descriptor and a struct kcmp_epoll_slot {efd, tfd, toff}; the
/// other known types take no indexes (strace leaves them out); an unknown type shows both in hex.</summary>
internal sealed class KcmpPrinter : SyscallPrinter
{
    public static readonly KcmpPrinter Instance = new();

    private const ulong KCMP_FILE = 0, KCMP_EPOLL_TFD = 7;
    private const int SlotSize = 12; // __u32 efd, tfd, toff (linux/kcmp.h)

    /// <summary>i386: the same bytes (struct kcmp_epoll_slot is three u32).</summary>
    public override ConditionalPlan[]? CompatCaptures => Captures;

    public override ConditionalPlan[] Captures { get; } =
    {
        new(2, new[] { KCMP_EPOLL_TFD }, 4, CapturePlan.AtEntry(SlotSize), Mask: 0xffffffff),
    };

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        sb.Append(((int)c.Args[0]).ToString(CultureInfo.InvariantCulture)).Append(", ");
        sb.Append(((int)c.Args[1]).ToString(CultureInfo.InvariantCulture)).Append(", ");
        ulong type = (uint)c.Args[2];
        FlagTables.Enum(sb, type, FlagTables.KcmpTypes, "KCMP_???");
        ulong idx1 = c.Args[3], idx2 = c.Args[4];
        switch (type)
        {
            case KCMP_FILE:
                sb.Append(", ");
                DecodeText.Fd(ref c, sb, (int)idx1, CaptureSlot.FdLink(3));
                sb.Append(", ");
                DecodeText.Fd(ref c, sb, (int)idx2, CaptureSlot.FdLink(4));
                break;
            case KCMP_EPOLL_TFD:
                sb.Append(", ");
                DecodeText.Fd(ref c, sb, (int)idx1, CaptureSlot.FdLink(3));
                sb.Append(", ");
                if (idx2 == 0)
                    sb.Append("NULL");
                else if (c.Data.TryGetFull(CaptureSlot.Entry(4), SlotSize, out ReadOnlySpan<byte> b))
                    sb.Append("{efd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture))
                      .Append(", tfd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[4..]).ToString(CultureInfo.InvariantCulture))
                      .Append(", toff=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                else
                    StraceText.Pointer(sb, idx2);
                break;
            default:
                if (FlagTables.NameOf(type, FlagTables.KcmpTypes) is null)
                {
                    sb.Append(", ");
                    StraceText.Hex(sb, idx1);
                    sb.Append(", ");
                    StraceText.Hex(sb, idx2);
                }
                break;
        }
    }
}
