using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>prctl(option, ...): as many arguments as the option reads, each as it reads it (the
/// thread name as a string, the death signal by name, numbers for the simple setters).</summary>
internal sealed class PrctlPrinter : SyscallPrinter
{
    private const ulong PR_SET_PDEATHSIG = 1, PR_SET_NAME = 15, PR_GET_NAME = 16, PR_CAP_AMBIENT = 47;
    private const ulong PR_SCHED_CORE = 62, PR_GET_TID_ADDRESS = 40, PR_SET_VMA = 0x53564d41;
    private const int TaskCommLength = 16;

    private static readonly Named[] Options =
    {
        new(1, "PR_SET_PDEATHSIG"), new(2, "PR_GET_PDEATHSIG"), new(3, "PR_GET_DUMPABLE"), new(4, "PR_SET_DUMPABLE"),
        new(5, "PR_GET_UNALIGN"), new(6, "PR_SET_UNALIGN"), new(7, "PR_GET_KEEPCAPS"), new(8, "PR_SET_KEEPCAPS"),
        new(9, "PR_GET_FPEMU"), new(10, "PR_SET_FPEMU"), new(11, "PR_GET_FPEXC"), new(12, "PR_SET_FPEXC"),
        new(13, "PR_GET_TIMING"), new(14, "PR_SET_TIMING"), new(15, "PR_SET_NAME"), new(16, "PR_GET_NAME"),
        new(19, "PR_GET_ENDIAN"), new(20, "PR_SET_ENDIAN"), new(21, "PR_GET_SECCOMP"), new(22, "PR_SET_SECCOMP"),
        new(23, "PR_CAPBSET_READ"), new(24, "PR_CAPBSET_DROP"), new(25, "PR_GET_TSC"), new(26, "PR_SET_TSC"),
        new(27, "PR_GET_SECUREBITS"), new(28, "PR_SET_SECUREBITS"), new(29, "PR_SET_TIMERSLACK"), new(30, "PR_GET_TIMERSLACK"),
        new(31, "PR_TASK_PERF_EVENTS_DISABLE"), new(32, "PR_TASK_PERF_EVENTS_ENABLE"), new(33, "PR_MCE_KILL"),
        new(34, "PR_MCE_KILL_GET"), new(35, "PR_SET_MM"), new(36, "PR_SET_CHILD_SUBREAPER"), new(37, "PR_GET_CHILD_SUBREAPER"),
        new(38, "PR_SET_NO_NEW_PRIVS"), new(39, "PR_GET_NO_NEW_PRIVS"), new(40, "PR_GET_TID_ADDRESS"),
        new(41, "PR_SET_THP_DISABLE"), new(42, "PR_GET_THP_DISABLE"), new(43, "PR_MPX_ENABLE_MANAGEMENT"),
        new(44, "PR_MPX_DISABLE_MANAGEMENT"), new(45, "PR_SET_FP_MODE"), new(46, "PR_GET_FP_MODE"), new(47, "PR_CAP_AMBIENT"),
        new(50, "PR_SVE_SET_VL"), new(51, "PR_SVE_GET_VL"), new(52, "PR_GET_SPECULATION_CTRL"), new(53, "PR_SET_SPECULATION_CTRL"),
        new(54, "PR_PAC_RESET_KEYS"), new(55, "PR_SET_TAGGED_ADDR_CTRL"), new(56, "PR_GET_TAGGED_ADDR_CTRL"),
        new(57, "PR_SET_IO_FLUSHER"), new(58, "PR_GET_IO_FLUSHER"), new(59, "PR_SET_SYSCALL_USER_DISPATCH"),
        new(60, "PR_PAC_SET_ENABLED_KEYS"), new(61, "PR_PAC_GET_ENABLED_KEYS"), new(62, "PR_SCHED_CORE"),
        new(63, "PR_SME_SET_VL"), new(64, "PR_SME_GET_VL"), new(0x53564d41, "PR_SET_VMA"), new(0x59616d61, "PR_SET_PTRACER"),
    };

    private static readonly Named[] SchedCoreOps =
        { new(0, "PR_SCHED_CORE_GET"), new(1, "PR_SCHED_CORE_CREATE"), new(2, "PR_SCHED_CORE_SHARE_TO"), new(3, "PR_SCHED_CORE_SHARE_FROM") };
    private static readonly Named[] PidTypes =
        { new(0, "PIDTYPE_PID"), new(1, "PIDTYPE_TGID"), new(2, "PIDTYPE_PGID"), new(3, "PIDTYPE_SID") };
    private static readonly Named[] SuidDump = { new(0, "SUID_DUMP_DISABLE"), new(1, "SUID_DUMP_USER"), new(2, "SUID_DUMP_ROOT") };
    private static readonly Named[] TscModes = { new(1, "PR_TSC_ENABLE"), new(2, "PR_TSC_SIGSEGV") };
    private static readonly Named[] UnalignFlags = { new(1, "PR_UNALIGN_NOPRINT"), new(2, "PR_UNALIGN_SIGBUS") };
    private static readonly Named[] SecureBits =
    {
        new(0x1, "SECBIT_NOROOT"), new(0x2, "SECBIT_NOROOT_LOCKED"), new(0x4, "SECBIT_NO_SETUID_FIXUP"),
        new(0x8, "SECBIT_NO_SETUID_FIXUP_LOCKED"), new(0x10, "SECBIT_KEEP_CAPS"), new(0x20, "SECBIT_KEEP_CAPS_LOCKED"),
        new(0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"), new(0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"),
    };
    private static readonly Named[] MceKillOps = { new(0, "PR_MCE_KILL_CLEAR"), new(1, "PR_MCE_KILL_SET") };
    private static readonly Named[] MceKillPolicies = { new(0, "PR_MCE_KILL_LATE"), new(1, "PR_MCE_KILL_EARLY"), new(2, "PR_MCE_KILL_DEFAULT") };
    private static readonly Named[] CapAmbientOps =
        { new(1, "PR_CAP_AMBIENT_IS_SET"), new(2, "PR_CAP_AMBIENT_RAISE"), new(3, "PR_CAP_AMBIENT_LOWER"), new(4, "PR_CAP_AMBIENT_CLEAR_ALL") };
    private static readonly Named[] PacKeys =
        { new(1, "PR_PAC_APIAKEY"), new(2, "PR_PAC_APIBKEY"), new(4, "PR_PAC_APDAKEY"), new(8, "PR_PAC_APDBKEY"), new(16, "PR_PAC_APGAKEY") };
    private static readonly Named[] PacEnabledKeys = PacKeys[..4];
    private static readonly Named[] MteTcf = { new(0, "PR_MTE_TCF_NONE"), new(2, "PR_MTE_TCF_SYNC"), new(4, "PR_MTE_TCF_ASYNC"), new(6, "PR_MTE_TCF_MASK") };
    private static readonly Named[] SysDispatch = { new(0, "PR_SYS_DISPATCH_OFF"), new(1, "PR_SYS_DISPATCH_ON") };

    /// <summary>The options that take nothing (strace prints the option alone).</summary>
    private static readonly ulong[] Getters = { 3, 7, 13, 21, 27, 30, 31, 32, 39, 42, 43, 44, 46, 51, 58, 64 };
    /// <summary>The options whose second argument is an int the kernel writes.</summary>
    private static readonly ulong[] IntOut = { 2 /* PR_GET_PDEATHSIG */, 5 /* PR_GET_UNALIGN */, 9, 11, 19, 25 /* PR_GET_TSC */, 37 };
    private static readonly ulong[] NumberSetters = { 8 /* PR_SET_KEEPCAPS */, 36 /* PR_SET_CHILD_SUBREAPER */, 38 /* PR_SET_NO_NEW_PRIVS */ };

    // After the arrays above: static fields initialize in order, and the captures use them.
    public static readonly PrctlPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { PR_SET_NAME }, 1, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString, Max: TaskCommLength - 1)),
        new(0, new[] { PR_GET_NAME }, 1, new CapturePlan(CaptureWhen.Exit, CaptureLength.CString, Max: TaskCommLength)),
        new(0, IntOut, 1, CapturePlan.AtExit(4)),
        new(0, new[] { PR_GET_TID_ADDRESS }, 1, CapturePlan.AtExit(8)),
        new(0, new[] { PR_SCHED_CORE }, 4, CapturePlan.AtExit(8)),
        new(0, new[] { PR_SET_VMA }, 4, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString)),
    };

    // i386: the same bytes but PR_GET_TID_ADDRESS's pointer (4 bytes).
    private ConditionalPlan[]? _compat;

    public override ConditionalPlan[]? CompatCaptures => _compat ??= Array.ConvertAll(Captures, p => Array.IndexOf(p.Values, PR_GET_TID_ADDRESS) >= 0
        ? p with { Plan = p.Plan with { Compat = Codecs.CompatLayout.Of("ptr") } } : p);

    private static void Hex(StringBuilder sb, ulong v) => StraceText.Hex(sb, v);

    private static void HexArgs(ref DecodeContext c, StringBuilder sb, int from)
    {
        for (int k = from; k < 5; k++)
        {
            sb.Append(", ");
            Hex(sb, c.Args[k]);
        }
    }

    /// <summary>A vector length word: the flags by name, other high bits in hex, then "|" and the length.</summary>
    private static void VectorLength(StringBuilder sb, ulong v, string onexec, string inherit)
    {
        int mark = DecodeStyle.Begin(sb); // -X: 0x2ea57 /* PR_SVE_VL_INHERIT|0xea57 */
        VectorLengthNamed(sb, v, onexec, inherit);
        DecodeStyle.End(sb, mark, v);
    }

    private static void VectorLengthNamed(StringBuilder sb, ulong v, string onexec, string inherit)
    {
        int n0 = sb.Length;
        if ((v & (1UL << 18)) != 0) sb.Append(onexec);
        if ((v & (1UL << 17)) != 0) sb.Append(sb.Length > n0 ? "|" : "").Append(inherit);
        ulong rest = v & ~0xffffUL & ~(3UL << 17);
        if (rest != 0) sb.Append(sb.Length > n0 ? "|" : "").Append("0x").Append(rest.ToString("x", CultureInfo.InvariantCulture));
        if (sb.Length > n0) sb.Append('|');
        Hex(sb, v & 0xffff);
    }

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong option = c.Args[0];
        FlagTables.Enum(sb, option, Options, "PR_???");
        ReadOnlySpan<byte> b;
        switch (option)
        {
            case PR_SET_NAME:
                sb.Append(", ");
                // A name of 16 bytes without a NUL: the kernel keeps 15, and strace shows those and "...".
                // strace reads 15 bytes at most: 15 or more (with a NUL, without, or a fault after them) show as 15 and "...".
                if (c.Data.TryGet(CaptureSlot.Entry(1), out b, out CaptureStatus st) && b.Length >= TaskCommLength - 1)
                    StraceText.Quote(sb, b[..(TaskCommLength - 1)], true);
                else if (st != CaptureStatus.Fault && c.Data.TryGet(CaptureSlot.Entry(1), out b, out st))
                    StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
                else
                    StraceText.Pointer(sb, c.Args[1]);
                return;
            case PR_GET_NAME:
                sb.Append(", ");
                if (!c.Failed && c.Data.TryGet(CaptureSlot.Exit(1), out b, out _)) StraceText.Quote(sb, b, false);
                else StraceText.Pointer(sb, c.Args[1]);
                return;
            case PR_SET_PDEATHSIG:
                sb.Append(", ");
                if (c.Args[1] <= 64) DecodeText.Signal(sb, (int)c.Args[1]);
                else sb.Append(c.Args[1].ToString(CultureInfo.InvariantCulture));
                return;
            case 4: // PR_SET_DUMPABLE
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], SuidDump, "SUID_DUMP_???");
                return;
            case 6: // PR_SET_UNALIGN
                sb.Append(", ");
                FlagTables.Flags(sb, c.Args[1], UnalignFlags, "PR_UNALIGN_???");
                return;
            case 23: case 24: // PR_CAPBSET_READ, PR_CAPBSET_DROP
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], Capabilities, "CAP_???");
                return;
            case 26: // PR_SET_TSC
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], TscModes, "PR_TSC_???");
                return;
            case 28: // PR_SET_SECUREBITS
                sb.Append(", ");
                FlagTables.Flags(sb, c.Args[1], SecureBits, "SECBIT_???");
                return;
            case 33: // PR_MCE_KILL
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], MceKillOps, "PR_MCE_KILL_???");
                if (c.Args[1] == 1)
                {
                    sb.Append(", ");
                    FlagTables.Enum(sb, c.Args[2], MceKillPolicies, "PR_MCE_KILL_???");
                    HexArgs(ref c, sb, 3);
                }
                else HexArgs(ref c, sb, 2);
                return;
            case 34: case 56: // PR_MCE_KILL_GET, PR_GET_TAGGED_ADDR_CTRL
                HexArgs(ref c, sb, 1);
                return;
            case PR_CAP_AMBIENT:
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], CapAmbientOps, "PR_CAP_AMBIENT_???");
                if (c.Args[1] is >= 1 and <= 3)
                {
                    sb.Append(", ");
                    FlagTables.Enum(sb, c.Args[2], Capabilities, "CAP_???");
                    HexArgs(ref c, sb, 3);
                }
                else HexArgs(ref c, sb, 2);
                return;
            case 50: // PR_SVE_SET_VL
                sb.Append(", ");
                VectorLength(sb, c.Args[1], "PR_SVE_SET_VL_ONEXEC", "PR_SVE_VL_INHERIT");
                return;
            case 63: // PR_SME_SET_VL
                sb.Append(", ");
                VectorLength(sb, c.Args[1], "PR_SME_SET_VL_ONEXEC", "PR_SME_VL_INHERIT");
                return;
            case 54: // PR_PAC_RESET_KEYS
                sb.Append(", ");
                FlagTables.Flags(sb, c.Args[1], PacKeys, "PR_PAC_???");
                HexArgs(ref c, sb, 2);
                return;
            case 60: // PR_PAC_SET_ENABLED_KEYS
                sb.Append(", ");
                FlagTables.Flags(sb, c.Args[1], PacEnabledKeys, "PR_PAC_???");
                sb.Append(", ");
                FlagTables.Flags(sb, c.Args[2], PacEnabledKeys, "PR_PAC_???");
                HexArgs(ref c, sb, 3);
                return;
            case 55: // PR_SET_TAGGED_ADDR_CTRL
            {
                ulong v = c.Args[1];
                sb.Append(", ").Append((v & 1) != 0 ? "PR_TAGGED_ADDR_ENABLE|" : "!PR_TAGGED_ADDR_ENABLE|");
                FlagTables.Enum(sb, v & 6, MteTcf, "PR_MTE_TCF_???");
                ulong tags = (v >> 3) & 0xffff;
                if (tags != 0) sb.Append("|0x").Append(tags.ToString("x", CultureInfo.InvariantCulture)).Append("<<PR_MTE_TAG_SHIFT");
                ulong rest = v & ~0x7ffffUL;
                if (rest != 0) sb.Append("|0x").Append(rest.ToString("x", CultureInfo.InvariantCulture));
                HexArgs(ref c, sb, 2);
                return;
            }
            case 59: // PR_SET_SYSCALL_USER_DISPATCH
                sb.Append(", ");
                FlagTables.Enum(sb, c.Args[1], SysDispatch, "PR_SYS_DISPATCH_???");
                if (c.Args[1] == 1)
                {
                    sb.Append(", ");
                    Hex(sb, c.Args[2]);
                    sb.Append(", ").Append(c.Args[3].ToString(CultureInfo.InvariantCulture)).Append(", ");
                    StraceText.Pointer(sb, c.Args[4]);
                }
                else HexArgs(ref c, sb, 2);
                return;
            case PR_SCHED_CORE:
                sb.Append(", ");
                FlagTables.Enum(sb, (uint)c.Args[1], SchedCoreOps, "PR_SCHED_CORE_???");
                sb.Append(", ").Append(((int)c.Args[2]).ToString(CultureInfo.InvariantCulture)).Append(", ");
                Hex(sb, (uint)c.Args[3]);
                sb.Append(" /* ").Append(FlagTables.NameOf((uint)c.Args[3], PidTypes) ?? "PIDTYPE_???").Append(" */, ");
                if ((uint)c.Args[1] == 0 && !c.Failed && c.Data.TryGetFull(CaptureSlot.Exit(4), 8, out b))
                {
                    sb.Append('[');
                    Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(']');
                }
                else StraceText.Pointer(sb, c.Args[4]);
                return;
            case PR_SET_VMA:
                sb.Append(", ");
                if (c.Args[1] != 0) // only PR_SET_VMA_ANON_NAME
                {
                    FlagTables.Enum(sb, c.Args[1], Array.Empty<Named>(), "PR_SET_VMA_???");
                    HexArgs(ref c, sb, 2);
                    return;
                }
                sb.Append("PR_SET_VMA_ANON_NAME, ");
                StraceText.Pointer(sb, c.Args[2]);
                sb.Append(", ").Append(c.Args[3].ToString(CultureInfo.InvariantCulture)).Append(", ");
                if (c.Args[4] != 0 && c.Data.TryGet(CaptureSlot.Entry(4), out b, out CaptureStatus vs) && vs != CaptureStatus.Fault)
                {
                    bool cut = b.Length > c.StringLimit || vs == CaptureStatus.Truncated;
                    StraceText.Quote(sb, b.Length > c.StringLimit ? b[..c.StringLimit] : b, cut);
                }
                else StraceText.Pointer(sb, c.Args[4]);
                return;
            case PR_GET_TID_ADDRESS:
                sb.Append(", ");
                if (!c.Failed && c.Data.TryGetFull(CaptureSlot.Exit(1), 8, out b))
                {
                    sb.Append('[');
                    Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(']');
                }
                else StraceText.Pointer(sb, c.Args[1]);
                return;
        }
        if (Array.IndexOf(Getters, option) >= 0)
            return;
        if (Array.IndexOf(IntOut, option) >= 0)
        {
            sb.Append(", ");
            if (!c.Failed && c.Data.TryGetFull(CaptureSlot.Exit(1), 4, out b))
            {
                uint v = BinaryPrimitives.ReadUInt32LittleEndian(b);
                sb.Append('[');
                if (option == 2) DecodeText.Signal(sb, (int)v);
                else if (option == 25) FlagTables.Enum(sb, v, TscModes, "PR_TSC_???");
                else if (option == 5) FlagTables.Flags(sb, v, UnalignFlags, "PR_UNALIGN_???");
                else sb.Append(v.ToString(CultureInfo.InvariantCulture));
                sb.Append(']');
            }
            else StraceText.Pointer(sb, c.Args[1]);
            return;
        }
        if (Array.IndexOf(NumberSetters, option) >= 0)
        {
            sb.Append(", ").Append(c.Args[1].ToString(CultureInfo.InvariantCulture));
            if (option == 38) // PR_SET_NO_NEW_PRIVS shows the unused arguments too
                sb.Append(", ").Append(c.Args[2]).Append(", ").Append(c.Args[3]).Append(", ").Append(c.Args[4]);
            return;
        }
        HexArgs(ref c, sb, 1);
    }

    public override void PrintResult(ref DecodeContext c, StringBuilder sb)
    {
        base.PrintResult(ref c, sb);
        switch (c.Args[0])
        {
            case 3: // PR_GET_DUMPABLE
                if (FlagTables.NameOf((ulong)c.Return, SuidDump) is string d) sb.Append(" (").Append(d).Append(')');
                break;
            case 34: // PR_MCE_KILL_GET
                if (FlagTables.NameOf((ulong)c.Return, MceKillPolicies) is string m) sb.Append(" (").Append(m).Append(')');
                break;
            case 27: // PR_GET_SECUREBITS
                if (c.Return != 0)
                {
                    sb.Length -= c.Return.ToString(CultureInfo.InvariantCulture).Length;
                    Hex(sb, (ulong)c.Return);
                    sb.Append(" (");
                    FlagTables.Flags(sb, (ulong)c.Return, SecureBits, "SECBIT_???");
                    sb.Append(')');
                }
                break;
        }
    }
}
