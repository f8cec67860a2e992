using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The 'X' file system ioctls: FIFREEZE and FITHAW (no argument), FITRIM (struct
/// fstrim_range, read), FS_IOC_FSSETXATTR (struct fsxattr, read) and FS_IOC_FSGETXATTR (written).</summary>
internal sealed class IoctlFsPrinter : IoctlFamily
{
    private const ulong FiFreeze = 0xc0045877, FiThaw = 0xc0045878, FiTrim = 0xc0185879;
    private const ulong FsGetXattr = 0x801c581f, FsSetXattr = 0x401c5820;

    /// <summary>FS_XFLAG_* (linux/fs.h).</summary>
    internal static readonly Named[] FsXflags =
    {
        new(0x1, "FS_XFLAG_REALTIME"), new(0x2, "FS_XFLAG_PREALLOC"), new(0x8, "FS_XFLAG_IMMUTABLE"),
        new(0x10, "FS_XFLAG_APPEND"), new(0x20, "FS_XFLAG_SYNC"), new(0x40, "FS_XFLAG_NOATIME"),
        new(0x80, "FS_XFLAG_NODUMP"), new(0x100, "FS_XFLAG_RTINHERIT"), new(0x200, "FS_XFLAG_PROJINHERIT"),
        new(0x400, "FS_XFLAG_NOSYMLINKS"), new(0x800, "FS_XFLAG_EXTSIZE"), new(0x1000, "FS_XFLAG_EXTSZINHERIT"),
        new(0x2000, "FS_XFLAG_NODEFRAG"), new(0x4000, "FS_XFLAG_FILESTREAM"), new(0x8000, "FS_XFLAG_DAX"),
        new(0x10000, "FS_XFLAG_COWEXTSIZE"), new(0x80000000, "FS_XFLAG_HASATTR"),
    };

    public static readonly IoctlFsPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { FiTrim }, 2, CapturePlan.AtEntry(24)),
        new(1, new[] { FsSetXattr }, 2, CapturePlan.AtEntry(28)),
        new(1, new[] { FsGetXattr }, 2, CapturePlan.AtExit(28)),
    };

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case FiFreeze or FiThaw:
                return true;
            case FiTrim:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 24, out b))
                {
                    sb.Append("{start=");
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(", len=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture))
                      .Append(", minlen=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[16..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                }
                else
                    StraceText.Pointer(sb, c.Args[2]);
                return true;
            case FsSetXattr:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 28, out b))
                    Fsxattr(sb, b, nextents: false);
                else
                    StraceText.Pointer(sb, c.Args[2]);
                return true;
            case FsGetXattr:
                sb.Append(", ");
                if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 28, out b))
                    Fsxattr(sb, b, nextents: true);
                else
                    StraceText.Pointer(sb, c.Args[2]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>struct fsxattr; fsx_nextents only as the kernel wrote it (FS_IOC_FSGETXATTR).</summary>
    internal static void Fsxattr(StringBuilder sb, ReadOnlySpan<byte> b, bool nextents)
    {
        sb.Append("{fsx_xflags=");
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), FsXflags, "FS_XFLAG_???");
        sb.Append(", fsx_extsize=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]).ToString(CultureInfo.InvariantCulture));
        if (nextents)
            sb.Append(", fsx_nextents=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture));
        sb.Append(", fsx_projid=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]));
        sb.Append(", fsx_cowextsize=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[16..]).ToString(CultureInfo.InvariantCulture)).Append('}');
    }
}
