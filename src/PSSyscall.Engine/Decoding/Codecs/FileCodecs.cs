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
