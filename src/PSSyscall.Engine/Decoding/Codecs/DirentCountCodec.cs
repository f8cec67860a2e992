using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>getdents' buffer in strace's non-verbose form: 0x... /* 12 entries */ (the count
/// taken at a successful exit from the result's bytes); with -v (<see cref="DecodeOptions.Unabbreviated"/>)
/// the entries: [{d_ino=2, d_off=1, d_reclen=24, d_type=DT_DIR, d_name="."}, ...] (getdents64; the
/// old getdents shows d_name before d_type, which ends its record).</summary>
internal sealed class DirentCountCodec(bool wide) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Named[] Types =
    {
        new(0, "DT_UNKNOWN"), new(1, "DT_FIFO"), new(2, "DT_CHR"), new(4, "DT_DIR"), new(6, "DT_BLK"),
        new(8, "DT_REG"), new(10, "DT_LNK"), new(12, "DT_SOCK"), new(14, "DT_WHT"),
    };

    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, Shape: CaptureShape.DirentCount, PositiveResult: true);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ReadOnlySpan<byte> b;
        if (DecodeStyle.Unabbreviated)
        {
            if (c.Failed || c.Unfinished)
                StraceText.Pointer(sb, c.Args[i]);
            else if (c.Return == 0)
                sb.Append("[]");
            else if (c.Data.TryGetFull(CaptureSlot.Exit(i), 1, out b))
                Entries(sb, b);
            else
                StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        StraceText.Pointer(sb, c.Args[i]);
        if (!c.Failed && !c.Unfinished)
        {
            long n = c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out b) ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;
            sb.Append(" /* ").Append(n.ToString(Inv)).Append(n == 1 ? " entry */" : " entries */");
        }
        return true;
    }

    private void Entries(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append('[');
        int header = wide ? 19 : 18; // d_ino, d_off, d_reclen (and d_type for getdents64), then d_name
        for (int off = 0; off + header <= b.Length;)
        {
            int reclen = BinaryPrimitives.ReadUInt16LittleEndian(b[(off + 16)..]);
            if (off > 0) sb.Append(", ");
            sb.Append("{d_ino=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[off..]).ToString(Inv))
              .Append(", d_off=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[(off + 8)..]).ToString(Inv))
              .Append(", d_reclen=").Append(reclen.ToString(Inv));
            if (reclen < header || off + reclen > b.Length)
            {
                sb.Append('}');
                break;
            }
            ReadOnlySpan<byte> name = b.Slice(off + header, reclen - header - (wide ? 0 : 1));
            int nul = name.IndexOf((byte)0);
            if (nul >= 0) name = name[..nul];
            byte type = wide ? b[off + 18] : b[off + reclen - 1];
            if (wide)
            {
                sb.Append(", d_type=");
                FlagTables.Enum(sb, type, Types, "DT_???");
            }
            sb.Append(", d_name=");
            StraceText.Quote(sb, name, false);
            if (!wide)
            {
                sb.Append(", d_type=");
                FlagTables.Enum(sb, type, Types, "DT_???");
            }
            sb.Append('}');
            off += reclen;
        }
        sb.Append(']');
    }
}
