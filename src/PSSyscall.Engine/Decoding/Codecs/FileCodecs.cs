using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>openat2's struct open_how: {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS},
/// the mode only when the flags create a file or it is set.</summary>
internal sealed class OpenHowCodec : ArgCodec
{
    private const ulong Creating = 0x40 /* O_CREAT */ | 0x400000 /* __O_TMPFILE */;

    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(24);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 24)
            return false;
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(b);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        sb.Append("{flags=");
        SyscallDecoder.OpenFlags(sb, flags);
        if ((flags & Creating) != 0 || mode != 0)
        {
            sb.Append(", mode=");
            StraceText.Octal(sb, mode);
        }
        sb.Append(", resolve=");
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), FlagTables.ResolveFlags, "RESOLVE_???");
        sb.Append('}');
        return true;
    }
}

/// <summary>name_to_handle_at's struct file_handle: the size offered and the size the kernel
/// needed, its type and bytes ({handle_bytes=128 => 8, handle_type=1, f_handle="\xdc..."}).</summary>
internal sealed class FileHandleCodec : ArgCodec
{
    private const int MaxHandle = 128;

    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 8 + MaxHandle);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0)
        {
            sb.Append("NULL");
            return true;
        }
        if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> given))
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        uint offered = BinaryPrimitives.ReadUInt32LittleEndian(given);
        sb.Append("{handle_bytes=").Append(offered.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out ReadOnlySpan<byte> got))
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(got);
            if (size != offered)
                sb.Append(" => ").Append(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            sb.Append(", handle_type=").Append(BinaryPrimitives.ReadInt32LittleEndian(got[4..]).ToString(System.Globalization.CultureInfo.InvariantCulture))
              .Append(", f_handle=");
            StraceText.Quote(sb, got.Slice(8, (int)Math.Min(size, (uint)(got.Length - 8))), false, hex: true);
        }
        sb.Append('}');
        return true;
    }
}
