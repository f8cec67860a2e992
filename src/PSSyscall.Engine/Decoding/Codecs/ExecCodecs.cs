using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>execve's argv: ["ls", "-l"], at most string-limit strings, then "...".</summary>
internal sealed class ArgvCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, Shape: CaptureShape.StringArray);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> b)) Argv(sb, b); else StraceText.Pointer(sb, v);
        return true;
    }

    internal static void Argv(StringBuilder sb, ReadOnlySpan<byte> blob)
    {
        int n = BinaryPrimitives.ReadInt32LittleEndian(blob);
        bool more = BinaryPrimitives.ReadInt32LittleEndian(blob[4..]) != 0;
        int off = 8;
        sb.Append('[');
        for (int e = 0; e < n; e++)
        {
            if (e > 0) sb.Append(", ");
            var st = (CaptureStatus)blob[off];
            int len = BinaryPrimitives.ReadInt32LittleEndian(blob[(off + 1)..]);
            if (st == CaptureStatus.Fault) sb.Append("???");
            else StraceText.Quote(sb, blob.Slice(off + 5, len), st == CaptureStatus.Truncated);
            off += 5 + len;
        }
        if (more) sb.Append(n > 0 ? ", ..." : "...");
        sb.Append(']');
    }
}

/// <summary>execve's envp, abbreviated as strace does: 0x7ffd... /* 43 vars */; with -v
/// (<see cref="DecodeOptions.Unabbreviated"/>) the strings, as argv.</summary>
internal sealed class EnvpCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, Shape: CaptureShape.PointerCount);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return true; }
        if (DecodeStyle.Unabbreviated) // -v: the strings, captured as argv's
        {
            if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> strings)) ArgvCodec.Argv(sb, strings); else StraceText.Pointer(sb, v);
            return true;
        }
        StraceText.Pointer(sb, v);
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> b))
        {
            long n = BinaryPrimitives.ReadInt64LittleEndian(b);
            sb.Append(" /* ").Append(n.ToString(CultureInfo.InvariantCulture)).Append(n == 1 ? " var */" : " vars */");
        }
        return true;
    }
}
