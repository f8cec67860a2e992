using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>A key serial: the KEY_SPEC_* names for the special ones, else decimal.</summary>
internal sealed class KeySerialCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if (FlagTables.NameOf((uint)v, KeySpecials) is string name) sb.Append(name);
        else sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>keyctl's arguments after the command, as each command reads them: k key, i int,
/// u uid, s string, x hex, n length; a command not listed shows its four words in hex. Strings
/// are copied at entry for every position (the plan is fixed; an integer's "address" simply fails
/// to read and is never shown).</summary>
internal sealed class KeyctlArgumentCodec : ArgCodec
{
    private static readonly Dictionary<ulong, string> Layouts = new()
    {
        [0] = "ki", [1] = "s", [2] = "kpn", [3] = "k", [4] = "kuu", [5] = "kx", [6] = "kpn", [7] = "k", [8] = "kk", [9] = "kk",
        [10] = "kssk", [11] = "kpn", [13] = "kxk", [14] = "i", [15] = "kx", [16] = "k", [17] = "kpn", [18] = "", [21] = "k",
        [22] = "uk", [30] = "kkkx", [31] = "pn",
    };

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.CString);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (!Layouts.TryGetValue(c.Args[0], out string? layout))
        {
            StraceText.Hex(sb, v);
            return true;
        }
        if (i - 1 >= layout.Length)
            return false;
        switch (layout[i - 1])
        {
            case 'k':
                if (FlagTables.NameOf((uint)v, KeySpecials) is string name) sb.Append(name); else sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
                break;
            case 'i': sb.Append(((int)v).ToString(CultureInfo.InvariantCulture)); break;
            case 'u': DecodeText.Decimal(sb, v, Syscalls.CType.Uid); break;
            case 'n': sb.Append(v.ToString(CultureInfo.InvariantCulture)); break;
            case 'x': StraceText.Hex(sb, v); break;
            case 's':
                if (v == 0) sb.Append("NULL");
                else if (c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> s, out CaptureStatus st) && st != CaptureStatus.Fault)
                    StraceText.Quote(sb, s, st == CaptureStatus.Truncated);
                else StraceText.Pointer(sb, v);
                break;
            default: StraceText.Pointer(sb, v); break;
        }
        return true;
    }
}

/// <summary>fanotify_init's flags: the notification class by name, then the flags.</summary>
internal sealed class FanotifyInitFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        FlagTables.Enum(sb, v & 0xc, FanotifyClasses, "FAN_CLASS_???");
        if ((v & ~0xcUL) != 0)
        {
            sb.Append('|');
            Flags(sb, v & ~0xcUL, FanotifyInitFlags, "FAN_???");
        }
        return true;
    }
}

/// <summary>fsconfig's value: a string for FSCONFIG_SET_STRING, an address otherwise.</summary>
internal sealed class FsconfigValueCodec : ArgCodec
{
    private const ulong SetString = 1;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.CString);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (c.Args[1] != SetString)
            return false;
        StraceText.Quote(sb, b, status == CaptureStatus.Truncated);
        return true;
    }
}

/// <summary>mount_setattr's struct mount_attr, its size the next argument.</summary>
internal sealed class MountAttrCodec(int sizeArgument) : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, sizeArgument, 32);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 32)
            return false;
        sb.Append("{attr_set=");
        Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), MountAttrFlags, "MOUNT_ATTR_???");
        sb.Append(", attr_clr=");
        Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), MountAttrFlags, "MOUNT_ATTR_???");
        sb.Append(", propagation=");
        FlagTables.Enum(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), MountPropagation, "MS_???", hexUnknown: false);
        sb.Append(", userns_fd=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[24..]).ToString(CultureInfo.InvariantCulture)).Append('}');
        return true;
    }
}

/// <summary>landlock_create_ruleset's struct landlock_ruleset_attr: the fields its size (the next
/// argument) covers.</summary>
internal sealed class LandlockRulesetAttrCodec(int sizeArgument) : ArgCodec
{
    private static readonly Named[] Scopes = { new(1, "LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET"), new(2, "LANDLOCK_SCOPE_SIGNAL") };

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, sizeArgument, 24);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 8)
            return false;
        sb.Append("{handled_access_fs=");
        Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), LandlockAccessFs, "LANDLOCK_ACCESS_FS_???");
        if (b.Length >= 16)
        {
            sb.Append(", handled_access_net=");
            Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), LandlockAccessNet, "LANDLOCK_ACCESS_NET_???");
        }
        if (b.Length >= 24)
        {
            sb.Append(", scoped=");
            Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), Scopes, "LANDLOCK_SCOPE_???");
        }
        sb.Append('}');
        return true;
    }
}

/// <summary>landlock_add_rule's attribute, by the rule type before it: a path beneath a directory
/// ({allowed_access=..., parent_fd=3}) or a TCP port ({allowed_access=..., port=443}).</summary>
internal sealed class LandlockRuleAttrCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(16);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 12)
            return false;
        switch (c.Args[i - 1])
        {
            case 1:
                sb.Append("{allowed_access=");
                Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), LandlockAccessFs, "LANDLOCK_ACCESS_FS_???");
                sb.Append(", parent_fd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                return true;
            case 2 when b.Length >= 16:
                sb.Append("{allowed_access=");
                Flags(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), LandlockAccessNet, "LANDLOCK_ACCESS_NET_???");
                sb.Append(", port=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                return true;
            default:
                return false;
        }
    }
}

/// <summary>utime's struct utimbuf: {actime=N /* date */, modtime=N /* date */}.</summary>
internal sealed class UtimbufCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtEntry(16);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 16)
            return false;
        long a = BinaryPrimitives.ReadInt64LittleEndian(b), m = BinaryPrimitives.ReadInt64LittleEndian(b[8..]);
        sb.Append("{actime=").Append(a.ToString(CultureInfo.InvariantCulture));
        TimePairCodec.DateComment(sb, a, 0, 0);
        sb.Append(", modtime=").Append(m.ToString(CultureInfo.InvariantCulture));
        TimePairCodec.DateComment(sb, m, 0, 0);
        sb.Append('}');
        return true;
    }
}

/// <summary>ptrace's pid, address and data, as each request reads them: the pid and address are
/// left out where strace leaves them out (PTRACE_TRACEME, PTRACE_ATTACH...), the data is a signal
/// for the resuming requests, options for SETOPTIONS and SEIZE, the word read for PEEK*.</summary>
internal sealed class PtraceArgumentCodec(bool data = false) : ArgCodec
{
    private const ulong GetSiginfo = 0x4202, SetSiginfo = 0x4203;

    // The data argument: a siginfo_t PTRACE_SETSIGINFO reads (at entry) or PTRACE_GETSIGINFO writes,
    // or the word PEEK* writes (at exit).
    public override CapturePlan Plan { get; } = data ? new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, SiginfoCodec.Size) : CapturePlan.AtExit(8);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong request = c.Args[0], v = c.Args[i];
        bool alone = request == 0;                                      // TRACEME
        bool pidOnly = request is 8 or 16 or 0x4207 or 0x4208;          // KILL, ATTACH, INTERRUPT, LISTEN
        if (alone || (pidOnly && i > 1))
            return false;
        switch (i)
        {
            case 1:
                sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
                return true;
            case 2:
                if (request is 3 or 6) StraceText.Hex(sb, v); // PEEKUSER/POKEUSER: an offset
                else if (request is >= 0x420a and <= 0x420d) sb.Append(v.ToString(CultureInfo.InvariantCulture)); // sigset size, filter index
                else StraceText.Pointer(sb, v);
                return true;
        }
        switch (request)
        {
            case 7 or 9 or 17 or 24 or 31 or 32 or 33: // CONT, SINGLESTEP, DETACH, SYSCALL, SYSEMU*, SINGLEBLOCK
                if (v == 0) sb.Append('0'); else DecodeText.Signal(sb, (int)v);
                return true;
            case 0x4200 or 0x4206: // SETOPTIONS, SEIZE
                Flags(sb, v, PtraceOptions, "PTRACE_O_???");
                return true;
            case 1 or 2 or 3 when !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), 8, out ReadOnlySpan<byte> word):
                sb.Append('[');
                StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(word));
                sb.Append(']');
                return true;
            case 0x420b when c.Args[2] == 8 && c.Data.TryGetFull(CaptureSlot.Entry(i), 8, out ReadOnlySpan<byte> mask): // SETSIGMASK
                DecodeText.Sigset(sb, mask[..8]);
                return true;
            case SetSiginfo when c.Data.TryGetFull(CaptureSlot.Entry(i), SiginfoCodec.Size, out ReadOnlySpan<byte> si):
                SiginfoCodec.Print(sb, si);
                return true;
            case GetSiginfo when !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(i), SiginfoCodec.Size, out ReadOnlySpan<byte> si):
                SiginfoCodec.Print(sb, si);
                return true;
            case 4 or 5 or 6: // POKE*: the word written
                StraceText.Hex(sb, v);
                return true;
            default:
                StraceText.Pointer(sb, v);
                return true;
        }
    }
}

/// <summary>landlock_create_ruleset's flags: with LANDLOCK_CREATE_RULESET_VERSION the call returns
/// the ABI version, not a descriptor.</summary>
internal sealed class LandlockCreateFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        Flags(sb, v, LandlockCreateFlags, "LANDLOCK_CREATE_RULESET_???");
        return true;
    }

    public override bool ResultIsNotDescriptor(ulong value) => (value & 1) != 0;
}

/// <summary>reboot's argument, used only by LINUX_REBOOT_CMD_RESTART2 (a command string); left out
/// otherwise.</summary>
internal sealed class RebootArgumentCodec : ArgCodec
{
    private const ulong Restart2 = 0xa1b2c3d4;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.CString);

    public override bool Shown(ref DecodeContext c, int i) => (uint)c.Args[i - 1] == Restart2;

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        StraceText.Quote(sb, b, status == CaptureStatus.Truncated);
        return true;
    }
}

/// <summary>sethostname/setdomainname's name: its length is the next argument; strace shows the
/// address when the length is beyond what the kernel accepts (64).</summary>
internal sealed class HostnameCodec(int lengthArgument) : ArgCodec
{
    private const int MaxName = 64;

    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, lengthArgument, MaxName);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (c.Args[lengthArgument] > MaxName)
            return false;
        StraceText.Quote(sb, b, false);
        return true;
    }
}

/// <summary>A dev_t always as makedev(major, minor) (ustat).</summary>
internal sealed class MakedevCodec : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        DecodeText.Makedev(sb, v);
        return true;
    }
}

/// <summary>kexec_load's flags: the architecture (KEXEC_ARCH_*, the high 16 bits), then the flags.</summary>
internal sealed class KexecFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        FlagTables.Enum(sb, v & 0xffff0000, KexecArchs, "KEXEC_ARCH_???");
        if ((v & 0xffff) != 0)
        {
            sb.Append('|');
            Flags(sb, v & 0xffff, KexecFlags, "KEXEC_???");
        }
        return true;
    }
}

/// <summary>quotactl's command: QCMD(Q_GETQUOTA, GRPQUOTA), the command in the high bits and the
/// quota type in the low byte. Q_SYNC with no device takes no more arguments: strace stops there.</summary>
internal sealed class QuotaCommandCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Unsigned;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint cmd = (uint)v >> 8, type = (uint)v & 0xff;
        sb.Append("QCMD(");
        FlagTables.Enum(sb, cmd, QuotaCommands, "Q_???");
        sb.Append(", ");
        FlagTables.Enum(sb, type, QuotaTypes, "???QUOTA");
        sb.Append(')');
        return true;
    }
}

/// <summary>quotactl's id and address as each command reads them: Q_SYNC and Q_QUOTAOFF take only
/// the device, Q_GETFMT/Q_GETINFO/Q_SETINFO no id, Q_QUOTAON's id is the format (QFMT_*); other ids
/// are unsigned numbers.</summary>
internal sealed class QuotaArgumentCodec(bool address, int commandArgument) : ArgCodec
{
    private static readonly Named[] Formats = { new(1, "QFMT_VFS_OLD"), new(2, "QFMT_VFS_V0"), new(3, "QFMT_OCFS2"), new(4, "QFMT_VFS_V1") };

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint cmd = (uint)c.Args[commandArgument] >> 8;
        if (cmd is 0x800001 or 0x800003 or 0x5807) // Q_SYNC, Q_QUOTAOFF, Q_XQUOTASYNC
            return false;
        if (address)
        {
            StraceText.Pointer(sb, v);
            return true;
        }
        // Q_GETFMT, Q_GETINFO, Q_SETINFO, Q_XQUOTAON, Q_XQUOTAOFF, Q_XGETQSTAT, Q_XQUOTARM, Q_XGETQSTATV
        if (cmd is 0x800004 or 0x800005 or 0x800006 or 0x5801 or 0x5802 or 0x5805 or 0x5806 or 0x5808)
            return false;
        if (cmd == 0x800002) // Q_QUOTAON
            FlagTables.Enum(sb, (uint)v, Formats, "QFMT_VFS_???");
        else if ((uint)v == uint.MaxValue)
            sb.Append("-1");
        else
            sb.Append(((uint)v).ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>swapon's flags: the SWAP_FLAG_* bits, then the priority (the low 15 bits) after a "|"
/// when any flag is set, else the priority alone.</summary>
internal sealed class SwapFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    private const uint PrioMask = 0x7fff;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint value = (uint)v, flags = value & ~PrioMask, prio = value & PrioMask;
        if (flags != 0)
        {
            Flags(sb, flags, SwapFlags, "SWAP_FLAG_???");
            sb.Append('|');
        }
        sb.Append(prio.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>seccomp's flags: SECCOMP_FILTER_FLAG_* for the filter operations, a number for the
/// others (GET_ACTION_AVAIL, GET_NOTIF_SIZES take none).</summary>
internal sealed class SeccompFlagsCodec : ArgCodec
{
    protected override DecodeStyle.Number? ConstantNumber => DecodeStyle.Number.Hex;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        if ((uint)c.Args[0] is 0 or 1) // SECCOMP_SET_MODE_STRICT, SECCOMP_SET_MODE_FILTER
            Flags(sb, v, FlagTables.SeccompFilterFlags, "SECCOMP_FILTER_FLAG_???");
        else
            StraceText.Hex(sb, v);
        return true;
    }
}
