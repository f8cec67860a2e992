using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>getdents' buffer in strace's non-verbose form: 0x... /* 12 entries */ (the count
/// taken at a successful exit from the result's bytes).</summary>
internal sealed class DirentCountCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Exit, CaptureLength.ReturnCount, 1, Shape: CaptureShape.DirentCount, PositiveResult: true);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        StraceText.Pointer(sb, c.Args[i]);
        if (!c.Failed && !c.Unfinished)
        {
            long n = c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out ReadOnlySpan<byte> b) ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;
            sb.Append(" /* ").Append(n.ToString(CultureInfo.InvariantCulture)).Append(n == 1 ? " entry */" : " entries */");
        }
        return true;
    }
}
