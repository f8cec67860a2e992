using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A NUL-terminated string read at entry: a path (PATH_MAX - 1 bytes, as strace reads it,
/// then "...") or a string cut at the string limit.</summary>
internal sealed class CStringCodec(bool path) : ArgCodec
{
    private const int PathMax = 4096;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.CString, Max: path ? PathMax - 1 : 0);

    public override CType DefaultType => CType.Pointer;

    public override ArgKind Role => path ? ArgKind.Path : ArgKind.Codec;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (!c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) || st == CaptureStatus.Fault)
            StraceText.Pointer(sb, v);
        else
            StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
        return true;
    }
}
