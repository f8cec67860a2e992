using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.SyscallDecoder;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct stat as strace abbreviates it (newfstatat, fstat...): mode, then size or device.</summary>
internal sealed class StatCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(144);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 144)
            return false;
        Stat(sb, b);
        return true;
    }

    private static void Stat(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint mode = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
        sb.Append("{st_mode=");
        Mode(sb, mode);
        uint type = mode & 0xF000;
        if (type is 0x2000 or 0x6000)
        {
            sb.Append(", st_rdev=");
            Makedev(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[40..]));
        }
        else
        {
            sb.Append(", st_size=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[48..]).ToString(Inv));
        }
        sb.Append(", ...}");
    }
}

/// <summary>struct statx: mask, attributes, mode and size, then "...".</summary>
internal sealed class StatxCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(256);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 256)
            return false;
        Statx(sb, b);
        return true;
    }

    private static readonly Named[] StatxAttributes =
    {
        new(0x4, "STATX_ATTR_COMPRESSED"), new(0x10, "STATX_ATTR_IMMUTABLE"), new(0x20, "STATX_ATTR_APPEND"),
        new(0x40, "STATX_ATTR_NODUMP"), new(0x800, "STATX_ATTR_ENCRYPTED"), new(0x1000, "STATX_ATTR_AUTOMOUNT"),
        new(0x2000, "STATX_ATTR_MOUNT_ROOT"), new(0x100000, "STATX_ATTR_VERITY"), new(0x200000, "STATX_ATTR_DAX"),
    };

    private static void Statx(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{stx_mask=");
        StatxMaskFlags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
        sb.Append(", stx_attributes=");
        ulong attrs = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        Flags(sb, attrs, StatxAttributes, "STATX_ATTR_???");
        sb.Append(", stx_mode=");
        Mode(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]));
        sb.Append(", stx_size=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[40..]).ToString(Inv));
        sb.Append(", ...}");
    }
}

/// <summary>struct statfs, every field.</summary>
internal sealed class StatfsCodec : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(120);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 120)
            return false;
        Statfs(sb, b);
        return true;
    }

    private static void Statfs(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        long[] f = new long[11];
        for (int k = 0; k < 11; k++) f[k] = BinaryPrimitives.ReadInt64LittleEndian(b[(k * 8)..]);
        long L(int off) => f[off / 8];
        sb.Append("{f_type=");
        StraceText.Hex(sb, (ulong)L(0));
        sb.Append(", f_bsize=").Append(L(8)).Append(", f_blocks=").Append(L(16)).Append(", f_bfree=").Append(L(24))
          .Append(", f_bavail=").Append(L(32)).Append(", f_files=").Append(L(40)).Append(", f_ffree=").Append(L(48))
          .Append(", f_fsid={val=[").Append(BinaryPrimitives.ReadInt32LittleEndian(b[56..])).Append(", ")
          .Append(BinaryPrimitives.ReadInt32LittleEndian(b[60..])).Append("]}, f_namelen=").Append(L(64))
          .Append(", f_frsize=").Append(L(72)).Append(", f_flags=");
        StraceText.Hex(sb, (ulong)L(80));
        sb.Append('}');
    }
}
