using System.Text;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>open's flags: the access mode, then O_* flags (O_RDONLY|O_CLOEXEC).</summary>
internal sealed class OpenFlagsCodec : ArgCodec
{
    public override CType DefaultType => CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        DecodeText.OpenFlags(sb, v);
        return true;
    }
}

/// <summary>open's mode, shown only with O_CREAT or __O_TMPFILE in the previous argument.</summary>
internal sealed class OpenModeCodec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    public override bool Shown(ref DecodeContext c, int i) => (c.Args[i - 1] & 0x40) != 0 || (c.Args[i - 1] & 0x400000) != 0;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Octal(sb, v);
        return true;
    }
}
