using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>sendfile's loff_t offset, read and advanced by the call: [0] => [35499] when it sent
/// something, else [N] as given (unsigned, as strace prints it).</summary>
internal sealed class SendfileOffsetCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 8);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0)
        {
            sb.Append("NULL");
            return true;
        }
        if (!c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> b))
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        sb.Append('[').Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
        if (!c.Failed && !c.Unfinished && c.Return > 0 && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out b))
            sb.Append(" => [").Append(BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(']');
        return true;
    }
}
