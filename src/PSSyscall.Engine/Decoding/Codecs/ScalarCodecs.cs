using System.Text;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A bit set from a flag table: A|B, unknown bits as |0x.., nothing known as 0x.. /* X_??? */.</summary>
internal sealed class FlagsCodec(Named[] table, string unknown, string? zero = "0", CType type = CType.Int) : ArgCodec
{
    public override CType DefaultType => type;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        FlagTables.Flags(sb, v, table, unknown, zero);
        return true;
    }
}

/// <summary>One value from an enum table; an unknown one as 0x.. /* X_??? */ (or decimal).</summary>
internal sealed class EnumCodec(Named[] table, string unknown, bool hexUnknown = true, CType type = CType.Int, bool signExtend = false) : ArgCodec
{
    public override CType DefaultType => type;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        // signExtend: tables that hold negative values as 64-bit (RUSAGE_CHILDREN is -1).
        FlagTables.Enum(sb, signExtend ? (ulong)(long)(int)v : v, table, unknown, hexUnknown);
        return true;
    }
}

/// <summary>A decimal number as its C type reads.</summary>
internal sealed class DecimalCodec(CType type = CType.Int) : ArgCodec
{
    public override CType DefaultType => type;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        DecodeText.Decimal(sb, v, c.Signature.Types![i]);
        return true;
    }
}

/// <summary>Flags followed by permission bits in octal (IPC_CREAT|0600).</summary>
internal sealed class FlagsAndModeCodec(Named[] table, string unknown, bool hugeShift = false) : ArgCodec
{
    // The *get calls' int: named flags, other bits in hex (no comment: the mode follows), shmget's
    // page size as N<<SHM_HUGE_SHIFT, then the mode in octal.
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint flags = (uint)v & ~0x1ffu;
        uint huge = hugeShift ? (flags >> 26) & 0x3f : 0;
        flags &= ~(huge << 26);
        uint all = flags;
        bool named = false;
        int mark = DecodeStyle.Begin(sb); // -X: 0x2600 /* IPC_CREAT|IPC_EXCL|... */|0600
        foreach (Named n in table)
        {
            if ((flags & n.Value) == n.Value)
            {
                if (named) sb.Append('|');
                sb.Append(n.Name);
                flags &= ~(uint)n.Value;
                named = true;
            }
        }
        if (flags != 0)
            sb.Append(named ? "|0x" : "0x").Append(flags.ToString("x"));
        if (all != 0)
        {
            DecodeStyle.End(sb, mark, all, unknown: !named);
            sb.Append('|');
        }
        else
        {
            DecodeStyle.End(sb, mark, 0);
            sb.Length = mark < 0 ? sb.Length : mark;
        }
        if (huge != 0)
        {
            sb.Append(huge);
            if (DecodeStyle.Constants == ConstantStyle.Abbrev) sb.Append("<<SHM_HUGE_SHIFT|");
            else sb.Append("<<26").Append(DecodeStyle.Constants == ConstantStyle.Verbose ? " /* SHM_HUGE_SHIFT */|" : "|");
        }
        StraceText.Octal(sb, v & 0x1ff);
        return true;
    }
}

/// <summary>A file type and permissions (mknod's mode: S_IFIFO|0644).</summary>
internal sealed class FileModeCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        // mknod's umode_t; a file type strace does not know shows the whole mode in octal.
        uint mode = (ushort)v;
        if ((mode & 0xF000) != 0 && FlagTables.NameOf(mode & 0xF000, FlagTables.FileTypes) is null)
            StraceText.Octal(sb, mode);
        else
            DecodeText.Mode(sb, mode);
        return true;
    }
}

/// <summary>A device number, shown only when the previous argument's mode makes a device
/// (mknod: S_IFCHR or S_IFBLK); otherwise strace leaves it out.</summary>
internal sealed class DeviceCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint type = (uint)c.Args[i - 1] & 0xF000;
        if (type is not (0x2000 or 0x6000))
            return false;
        DecodeText.Makedev(sb, v);
        return true;
    }
}

/// <summary>A SysV IPC key: IPC_PRIVATE or hex.</summary>
internal sealed class IpcKeyCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if (v != 0) { StraceText.Hex(sb, v); return true; }
        int mark = DecodeStyle.Begin(sb);
        sb.Append("IPC_PRIVATE");
        DecodeStyle.End(sb, mark, 0);
        return true;
    }
}

/// <summary>A number in octal with a leading 0, at least three digits (modes, umask).</summary>
internal sealed class OctalCodec(CType type, ulong mask = ulong.MaxValue) : ArgCodec
{
    public override CType DefaultType => type;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        // mask 0xffff: the kernel's umode_t (mkdir, chmod, umask), as strace prints it.
        StraceText.Octal(sb, v & mask);
        return true;
    }
}

/// <summary>A signal number by name (SIGTERM), an unknown one in decimal.</summary>
internal sealed class SignalCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        int mark = DecodeStyle.Begin(sb);
        sb.Append(SignalNames.GetName((int)v));
        DecodeStyle.End(sb, mark, (ulong)(int)v, DecodeStyle.Number.Decimal);
        return true;
    }
}

/// <summary>A number in hex (%#lx).</summary>
internal sealed class HexCodec : ArgCodec
{
    public override CType DefaultType => CType.ULong;
}

/// <summary>An address: NULL or 0x....</summary>
internal sealed class PointerCodec : ArgCodec
{
    public override CType DefaultType => CType.Pointer;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>An argument strace does not show (a placeholder keeping the positions of those after it).</summary>
internal sealed class SkipCodec : ArgCodec
{
    public override CType DefaultType => CType.ULong;

    public override bool Shown(ref DecodeContext c, int i) => false;
}
