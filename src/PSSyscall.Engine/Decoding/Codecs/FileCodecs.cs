using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>openat2's struct open_how: {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS},
/// the mode only when the flags create a file or it is set. A size below the first version's 24
/// bytes shows the address; bytes past 24 (up to a page) show as "/* bytes 24..31 */ "\x.."" when
/// any is not zero, "???" when unreadable.</summary>
internal sealed class OpenHowCodec : ArgCodec
{
    private const ulong Creating = 0x40 /* O_CREAT */ | 0x400000 /* __O_TMPFILE */;
    private const int Size = 24;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, Argument: 3, Max: 4096);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        ulong size = c.Args[3];
        if (size < Size || !c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st)
            || st == CaptureStatus.Fault || b.Length < Size)
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(b);
        ulong mode = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        sb.Append("{flags=");
        DecodeText.OpenFlags(sb, flags);
        if ((flags & Creating) != 0 || mode != 0)
        {
            sb.Append(", mode=");
            StraceText.Octal(sb, mode);
        }
        sb.Append(", resolve=");
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), FlagTables.ResolveFlags, "RESOLVE_???");
        if (size > Size)
            StructTail.Print(sb, b, Size, (int)Math.Min(size, 4096UL), c.StringLimit);
        sb.Append('}');
        return true;
    }
}

/// <summary>A string strace reads at most min(<paramref name="max"/>, string limit) bytes of (its
/// printstr with a length): all of them shown, then "..." when no NUL came within them; the
/// address when they could not all be read before a NUL (memfd_create's name: 250).</summary>
internal sealed class BoundedStringCodec(int max) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.CString, Max: max, StringLimited: true, Bounded: true);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        Print(ref c, sb, i);
        return true;
    }

    public static void Print(ref DecodeContext c, StringBuilder sb, int i)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return; }
        if (!c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) || st == CaptureStatus.Fault)
        {
            StraceText.Pointer(sb, v);
            return;
        }
        StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
    }
}

/// <summary>The bytes of an extensible structure past the fields the decoder knows (openat2's
/// open_how, clone3's clone_args): nothing when all are zero, ", ???" when they could not be
/// read, else ", /* bytes 24..31 */ "\x80\x81"" (hex, cut at the string limit).</summary>
internal static class StructTail
{
    public static void Print(StringBuilder sb, ReadOnlySpan<byte> captured, int known, int end, int stringLimit)
    {
        if (captured.Length < end)
        {
            sb.Append(", ???");
            return;
        }
        ReadOnlySpan<byte> tail = captured[known..end];
        if (tail.IndexOfAnyExcept((byte)0) < 0)
            return;
        sb.Append(", /* bytes ").Append(known.ToString(System.Globalization.CultureInfo.InvariantCulture))
          .Append("..").Append((end - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" */ ");
        StraceText.Quote(sb, tail.Length > stringLimit ? tail[..stringLimit] : tail, tail.Length > stringLimit, hex: true);
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

/// <summary>memfd_create's flags: MFD_* then the huge page size as N&lt;&lt;MFD_HUGE_SHIFT
/// (bits 26..31).</summary>
internal sealed class MemfdFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    private const int HugeShift = 26;
    private const ulong HugeMask = 0x3fUL << HugeShift;

    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        ulong flags = v & ~HugeMask, huge = (v & HugeMask) >> HugeShift;
        if (flags != 0 || huge == 0)
            FlagTables.Flags(sb, flags, FlagTables.MemfdFlags, "MFD_???");
        if (huge != 0)
        {
            if (flags != 0) sb.Append('|');
            sb.Append(huge.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("<<MFD_HUGE_SHIFT");
        }
        return true;
    }
}

/// <summary>An extended attribute's value the call reads (setxattr): the address above
/// XATTR_SIZE_MAX (65536) bytes, else quoted without a trailing NUL and cut at the string limit.</summary>
internal sealed class XattrValueCodec(int sizeArgument) : ArgCodec
{
    private const ulong SizeMax = 65536;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, sizeArgument, StringLimited: true);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        ulong size = c.Args[sizeArgument];
        if (size > SizeMax)
            return false;
        bool cut = size > (ulong)c.StringLimit;
        if (!cut && b.Length > 0 && b[^1] == 0)
            b = b[..^1];
        StraceText.Quote(sb, b, cut);
        return true;
    }
}

/// <summary>The names listxattr wrote, NUL-separated, cut at the string limit; the address when
/// the call was given no room (size 0).</summary>
internal sealed class XattrListCodec(int sizeArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, StringLimited: true);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if (c.Args[sizeArgument] == 0 && c.Args[i] != 0)
        {
            StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        return base.Print(ref c, i, sb);
    }

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        StraceText.Quote(sb, b, c.Return > c.StringLimit);
        return true;
    }
}
