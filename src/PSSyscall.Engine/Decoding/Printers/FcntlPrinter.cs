using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>fcntl(fd, cmd, arg): the argument by command (flags, a lock, a number, nothing), and the
/// result by command (a new descriptor, the file status flags, the descriptor flags).</summary>
internal sealed class FcntlPrinter : SyscallPrinter
{
    public static readonly FcntlPrinter Instance = new();

    private const ulong F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
    private const ulong F_SETOWN = 8, F_SETSIG = 10, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    private const ulong F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031;
    private const ulong F_SETOWN_EX = 15, F_GETOWN_EX = 16, F_GETSIG = 11, F_SETLEASE = 1024, F_GETLEASE = 1025, F_NOTIFY = 1026;
    private const int OwnerSize = 8; // struct f_owner_ex { int type; pid_t pid; }

    private static readonly Named[] LockTypes = { new Named(0, "F_RDLCK"), new Named(1, "F_WRLCK"), new Named(2, "F_UNLCK") };
    private static readonly Named[] OwnerTypes = { new Named(0, "F_OWNER_TID"), new Named(1, "F_OWNER_PID"), new Named(2, "F_OWNER_PGRP") };
    private static readonly Named[] NotifyFlags =
    {
        new Named(1, "DN_ACCESS"), new Named(2, "DN_MODIFY"), new Named(4, "DN_CREATE"), new Named(8, "DN_DELETE"), new Named(0x10, "DN_RENAME"), new Named(0x20, "DN_ATTRIB"),
        new Named(0x80000000, "DN_MULTISHOT"),
    };
    private const int FlockSize = 32;

    private static readonly ulong[] Getters = { F_GETFD, F_GETFL, 9 /* F_GETOWN */, 11 /* F_GETSIG */, 1025 /* F_GETLEASE */, 1032 /* F_GETPIPE_SZ */, 1034 /* F_GET_SEALS */ };

    public override ConditionalPlan[] Captures { get; } =
    {
        // The lock the call is given (set and get both read it), and the lock F_GETLK reports.
        new(1, new[] { F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW }, 2, CapturePlan.AtEntry(FlockSize)),
        new(1, new[] { F_GETLK, F_OFD_GETLK }, 2, CapturePlan.AtExit(FlockSize)),
        new(1, new[] { F_SETOWN_EX }, 2, CapturePlan.AtEntry(OwnerSize)),
        new(1, new[] { F_GETOWN_EX }, 2, CapturePlan.AtExit(OwnerSize)),
    };

    // i386: F_GETLK and friends take struct flock with longs, the OFD locks struct flock64 (its
    // 64-bit fields aligned to 4); both are kept in x86_64's layout.
    private ConditionalPlan[]? _compat;

    public override ConditionalPlan[]? CompatCaptures => _compat ??= new ConditionalPlan[]
    {
        new(1, new[] { F_GETLK, F_SETLK, F_SETLKW }, 2, CapturePlan.AtEntry(FlockSize) with { Compat = Codecs.CompatLayout.Of("short short long long int") }),
        new(1, new[] { F_GETLK }, 2, CapturePlan.AtExit(FlockSize) with { Compat = Codecs.CompatLayout.Of("short short long long int") }),
        new(1, new[] { F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW }, 2, CapturePlan.AtEntry(FlockSize) with { Compat = Codecs.CompatLayout.Of("short short i64 i64 int") }),
        new(1, new[] { F_OFD_GETLK }, 2, CapturePlan.AtExit(FlockSize) with { Compat = Codecs.CompatLayout.Of("short short i64 i64 int") }),
        new(1, new[] { F_SETOWN_EX }, 2, CapturePlan.AtEntry(OwnerSize)),
        new(1, new[] { F_GETOWN_EX }, 2, CapturePlan.AtExit(OwnerSize)),
    };

    public override bool ResultIsDescriptor(ReadOnlySpan<ulong> args) => args[1] is F_DUPFD or F_DUPFD_CLOEXEC;

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        DecodeText.Fd(ref c, sb, (int)c.Args[0], CaptureSlot.FdLink(0));
        sb.Append(", ");
        ulong cmd = c.Args[1], arg = c.Args[2];
        FlagTables.Enum(sb, cmd, FcntlCommands, "F_???");
        if (Array.IndexOf(Getters, cmd) >= 0)
            return;
        sb.Append(", ");
        switch (cmd)
        {
            case F_SETFD:
                Flags(sb, arg, FdFlags, "FD_???");
                break;
            case F_SETFL:
                DecodeText.OpenFlags(sb, arg);
                break;
            case F_SETSIG:
                DecodeText.Signal(sb, (int)arg);
                break;
            case F_SETLEASE:
                FlagTables.Enum(sb, (uint)arg, LockTypes, "F_???");
                break;
            case F_NOTIFY:
                Flags(sb, (uint)arg, NotifyFlags, "DN_???");
                break;
            case F_SETOWN_EX or F_GETOWN_EX:
                if (cmd == F_SETOWN_EX ? c.Data.TryGetFull(CaptureSlot.Entry(2), OwnerSize, out ReadOnlySpan<byte> o)
                                       : !c.Failed && c.Data.TryGetFull(CaptureSlot.Exit(2), OwnerSize, out o))
                {
                    sb.Append("{type=");
                    FlagTables.Enum(sb, BinaryPrimitives.ReadUInt32LittleEndian(o), OwnerTypes, "F_OWNER_???");
                    sb.Append(", pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(o[4..]).ToString(CultureInfo.InvariantCulture)).Append('}');
                }
                else
                {
                    StraceText.Pointer(sb, arg);
                }
                break;
            case F_DUPFD or F_DUPFD_CLOEXEC or F_SETOWN or F_SETPIPE_SZ:
                sb.Append(((int)arg).ToString(CultureInfo.InvariantCulture));
                break;
            case F_GETLK or F_SETLK or F_SETLKW or F_OFD_GETLK or F_OFD_SETLK or F_OFD_SETLKW:
                bool reported = cmd is F_GETLK or F_OFD_GETLK;
                if (reported ? !c.Failed && c.Data.TryGetFull(CaptureSlot.Exit(2), FlockSize, out ReadOnlySpan<byte> b)
                             : c.Data.TryGetFull(CaptureSlot.Entry(2), FlockSize, out b))
                    Flock(sb, b, reported);
                else
                    StraceText.Pointer(sb, arg);
                break;
            default:
                StraceText.Hex(sb, arg);
                break;
        }
    }

    public override void PrintResult(ref DecodeContext c, StringBuilder sb)
    {
        ulong cmd = c.Args[1];
        ulong ret = (ulong)c.Return;
        if (cmd == F_GETFL)
        {
            StraceText.Hex(sb, ret);
            sb.Append(" (flags ");
            using DecodeStyle.Scope names = DecodeStyle.Abbreviated(); // strace: names in every -X style here
            DecodeText.OpenFlags(sb, ret);
            sb.Append(')');
        }
        else if (cmd == F_GETFD && ret != 0)
        {
            StraceText.Hex(sb, ret);
            sb.Append(" (flags ");
            Flags(sb, ret, FdFlags, "FD_???");
            sb.Append(')');
        }
        else if (cmd == F_GETLEASE)
        {
            StraceText.Hex(sb, ret);
            sb.Append(" (");
            FlagTables.Enum(sb, ret, LockTypes, "F_???");
            sb.Append(')');
        }
        else if (cmd == F_GETSIG && ret != 0)
        {
            sb.Append(c.Return.ToString(CultureInfo.InvariantCulture)).Append(" (").Append(SignalNames.GetName((int)ret)).Append(')');
        }
        else
        {
            base.PrintResult(ref c, sb);
        }
    }

    /// <summary>struct flock: {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0[, l_pid=0]}.</summary>
    private static void Flock(StringBuilder sb, ReadOnlySpan<byte> b, bool withPid)
    {
        var inv = CultureInfo.InvariantCulture;
        short type = BinaryPrimitives.ReadInt16LittleEndian(b);
        short whence = BinaryPrimitives.ReadInt16LittleEndian(b[2..]);
        sb.Append("{l_type=").Append(type switch { 0 => "F_RDLCK", 1 => "F_WRLCK", 2 => "F_UNLCK", _ => type.ToString(inv) })
          .Append(", l_whence=");
        FlagTables.Enum(sb, (ulong)whence, Whence, "SEEK_???", false);
        sb.Append(", l_start=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[8..]).ToString(inv))
          .Append(", l_len=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[16..]).ToString(inv));
        if (withPid) sb.Append(", l_pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[24..]).ToString(inv));
        sb.Append('}');
    }
}
