using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>rt_sigreturn's only "argument": the signal mask it restores, read from the signal
/// frame at the stack pointer: {mask=[INT]}.</summary>
internal sealed class SigreturnMaskCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.Fixed, 8, Shape: CaptureShape.SignalFrameMask);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        sb.Append("{mask=");
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> b)) DecodeText.Sigset(sb, b); else sb.Append('?');
        sb.Append('}');
        return true;
    }
}
