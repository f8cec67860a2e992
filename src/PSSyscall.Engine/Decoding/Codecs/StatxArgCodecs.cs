using System.Text;
using PSSyscall.Engine.Syscalls;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>statx's mask: STATX_BASIC_STATS or STATX_ALL when all their bits are set, then STATX_*.</summary>
internal sealed class StatxMaskCodec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        DecodeText.StatxMaskFlags(sb, v);
        return true;
    }
}

/// <summary>statx's flags: the AT_STATX_SYNC_* mode, then AT_* flags.</summary>
internal sealed class StatxFlagsCodec : ArgCodec
{
    internal static readonly Named[] StatxSync =
    {
        new(0, "AT_STATX_SYNC_AS_STAT"), new(0x2000, "AT_STATX_FORCE_SYNC"), new(0x4000, "AT_STATX_DONT_SYNC"),
    };

    public override CType DefaultType => CType.Int;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        int mark = DecodeStyle.Begin(sb);
        FlagTables.Enum(sb, v & 0x6000, StatxSync, "AT_STATX_???");
        if ((v & ~0x6000UL) != 0) { sb.Append('|'); Flags(sb, v & ~0x6000UL, AtFlags, "AT_???"); }
        DecodeStyle.End(sb, mark, v);
        return true;
    }
}
