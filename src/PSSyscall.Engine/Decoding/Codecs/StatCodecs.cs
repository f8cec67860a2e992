using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.DecodeText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct stat as strace abbreviates it (newfstatat, fstat...): mode, then size or device.</summary>
internal sealed class StatCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(144);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Stat(sb, b);

    private static void Stat(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        if (DecodeStyle.Unabbreviated)
        {
            StatVerbose(sb, b);
            return;
        }
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

    /// <summary>strace -v: every field (x86_64's struct stat), times with their dates.</summary>
    private static void StatVerbose(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{st_dev=");
        Makedev(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
        sb.Append(", st_ino=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(Inv));
        uint mode = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
        sb.Append(", st_mode=");
        Mode(sb, mode);
        sb.Append(", st_nlink=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[16..]).ToString(Inv))
          .Append(", st_uid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[28..]).ToString(Inv))
          .Append(", st_gid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[32..]).ToString(Inv))
          .Append(", st_blksize=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[56..]).ToString(Inv))
          .Append(", st_blocks=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[64..]).ToString(Inv));
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
        Time(sb, b, 72, "atime");
        Time(sb, b, 88, "mtime");
        Time(sb, b, 104, "ctime");
        sb.Append('}');
    }

    private static void Time(StringBuilder sb, ReadOnlySpan<byte> b, int offset, string name)
    {
        long sec = BinaryPrimitives.ReadInt64LittleEndian(b[offset..]);
        long nsec = BinaryPrimitives.ReadInt64LittleEndian(b[(offset + 8)..]);
        sb.Append(", st_").Append(name).Append('=').Append(sec.ToString(Inv));
        TimePairCodec.DateComment(sb, sec, nsec, 9);
        sb.Append(", st_").Append(name).Append("_nsec=").Append(nsec.ToString(Inv));
    }
}

/// <summary>struct statx: mask, attributes, mode and size, then "...".</summary>
internal sealed class StatxCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(256);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Statx(sb, b);

    private static readonly Named[] StatxAttributes =
    {
        new(0x4, "STATX_ATTR_COMPRESSED"), new(0x10, "STATX_ATTR_IMMUTABLE"), new(0x20, "STATX_ATTR_APPEND"),
        new(0x40, "STATX_ATTR_NODUMP"), new(0x800, "STATX_ATTR_ENCRYPTED"), new(0x1000, "STATX_ATTR_AUTOMOUNT"),
        new(0x2000, "STATX_ATTR_MOUNT_ROOT"), new(0x100000, "STATX_ATTR_VERITY"), new(0x200000, "STATX_ATTR_DAX"),
    };

    private static void Statx(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        if (DecodeStyle.Unabbreviated)
        {
            StatxVerbose(sb, b);
            return;
        }
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

    /// <summary>strace -v: every field of struct statx.</summary>
    private static void StatxVerbose(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{stx_mask=");
        StatxMaskFlags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b));
        sb.Append(", stx_blksize=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]).ToString(Inv));
        sb.Append(", stx_attributes=");
        Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), StatxAttributes, "STATX_ATTR_???");
        sb.Append(", stx_nlink=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[16..]).ToString(Inv))
          .Append(", stx_uid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[20..]).ToString(Inv))
          .Append(", stx_gid=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[24..]).ToString(Inv));
        sb.Append(", stx_mode=");
        Mode(sb, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]));
        sb.Append(", stx_ino=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[32..]).ToString(Inv))
          .Append(", stx_size=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[40..]).ToString(Inv))
          .Append(", stx_blocks=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[48..]).ToString(Inv));
        sb.Append(", stx_attributes_mask=");
        Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[56..]), StatxAttributes, "STATX_ATTR_???");
        Timestamp(sb, b, 64, "atime");
        if ((BinaryPrimitives.ReadUInt32LittleEndian(b) & 0x800) != 0) // STATX_BTIME: strace shows it only when given
            Timestamp(sb, b, 80, "btime");
        Timestamp(sb, b, 96, "ctime");
        Timestamp(sb, b, 112, "mtime");
        sb.Append(", stx_rdev_major=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[128..]).ToString(Inv))
          .Append(", stx_rdev_minor=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[132..]).ToString(Inv))
          .Append(", stx_dev_major=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[136..]).ToString(Inv))
          .Append(", stx_dev_minor=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[140..]).ToString(Inv))
          .Append(", stx_mnt_id=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[144..]));
        sb.Append('}');
    }

    /// <summary>struct statx_timestamp: {tv_sec=1, tv_nsec=2} /* date */ (no date for a zero time).</summary>
    private static void Timestamp(StringBuilder sb, ReadOnlySpan<byte> b, int offset, string name)
    {
        long sec = BinaryPrimitives.ReadInt64LittleEndian(b[offset..]);
        uint nsec = BinaryPrimitives.ReadUInt32LittleEndian(b[(offset + 8)..]);
        sb.Append(", stx_").Append(name).Append("={tv_sec=").Append(sec.ToString(Inv)).Append(", tv_nsec=").Append(nsec.ToString(Inv)).Append('}');
        if (sec != 0 || nsec != 0)
            TimePairCodec.DateComment(sb, sec, nsec, 9);
    }
}

/// <summary>struct statfs, every field.</summary>
internal sealed class StatfsCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(120);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Statfs(sb, b);

    private static void Statfs(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        long L(ReadOnlySpan<byte> x, int off) => BinaryPrimitives.ReadInt64LittleEndian(x[off..]);
        sb.Append("{f_type=");
        FlagTables.Enum(sb, (ulong)L(b, 0), FilesystemMagics, "???");
        sb.Append(", f_bsize=").Append(L(b, 8).ToString(Inv)).Append(", f_blocks=").Append(L(b, 16).ToString(Inv))
          .Append(", f_bfree=").Append(L(b, 24).ToString(Inv)).Append(", f_bavail=").Append(L(b, 32).ToString(Inv))
          .Append(", f_files=").Append(L(b, 40).ToString(Inv)).Append(", f_ffree=").Append(L(b, 48).ToString(Inv))
          .Append(", f_fsid={val=[");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[56..]));
        sb.Append(", ");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[60..]));
        sb.Append("]}, f_namelen=").Append(L(b, 64).ToString(Inv)).Append(", f_frsize=").Append(L(b, 72).ToString(Inv)).Append(", f_flags=");
        Flags(sb, (ulong)L(b, 80), StatfsFlags, "ST_???");
        sb.Append('}');
    }
}
