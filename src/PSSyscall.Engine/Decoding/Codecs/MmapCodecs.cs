using System.Text;
using PSSyscall.Engine.Syscalls;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>mmap's flags: the mapping type (MAP_SHARED, MAP_PRIVATE...), then MAP_* flags.</summary>
internal sealed class MmapFlagsCodec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        int mark = DecodeStyle.Begin(sb);
        FlagTables.Enum(sb, v & 0xf, MmapType, "MAP_???");
        if ((v & ~0xfUL) != 0) { sb.Append('|'); Flags(sb, v & ~0xfUL, FlagTables.MmapFlags, "MAP_???"); }
        DecodeStyle.End(sb, mark, v);
        return true;
    }
}

/// <summary>mremap's new address: shown only with MREMAP_FIXED or MREMAP_DONTUNMAP in the flags before it.</summary>
internal sealed class MremapAddressCodec : ArgCodec
{
    public override CType DefaultType => CType.Pointer;

    public override bool Shown(ref DecodeContext c, int i) => (c.Args[i - 1] & 6) != 0;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Pointer(sb, v);
        return true;
    }
}
