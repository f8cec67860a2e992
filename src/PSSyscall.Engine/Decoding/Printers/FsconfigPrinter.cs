using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>fsconfig(fs_fd, cmd, key, value, aux): the key a string (at most 256 bytes) for the
/// FSCONFIG_SET_* commands; the value a string (SET_STRING), hex bytes counted by aux
/// (SET_BINARY, aux up to 1 MiB), a path (SET_PATH, SET_PATH_EMPTY), else an address; aux a
/// directory descriptor (SET_PATH*), a descriptor (SET_FD), else a number.</summary>
internal sealed class FsconfigPrinter : SyscallPrinter
{
    public static readonly FsconfigPrinter Instance = new();

    private const ulong SetFlag = 0, SetString = 1, SetBinary = 2, SetPath = 3, SetPathEmpty = 4, SetFd = 5;
    private const int KeyMax = 256, BinaryMax = 1024 * 1024, PathMax = 4096;

    /// <summary>i386: the same bytes (strings and bytes).</summary>
    public override ConditionalPlan[]? CompatCaptures => Captures;

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { SetFlag, SetString, SetBinary, SetPath, SetPathEmpty, SetFd }, 2,
            new CapturePlan(CaptureWhen.Entry, CaptureLength.CString, Max: KeyMax, StringLimited: true, Bounded: true)),
        new(1, new[] { SetString }, 3, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString, Max: KeyMax, StringLimited: true, Bounded: true)),
        new(1, new[] { SetBinary }, 3, new CapturePlan(CaptureWhen.Entry, CaptureLength.ArgumentCount, 1, Argument: 4, StringLimited: true)),
        new(1, new[] { SetPath, SetPathEmpty }, 3, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString, Max: PathMax - 1)),
    };

    public override Syscalls.ArgKind? TracedAs(int i, ReadOnlySpan<ulong> args)
    {
        ulong cmd = (uint)args[1];
        bool path = cmd is SetPath or SetPathEmpty;
        return i switch
        {
            3 when path => Syscalls.ArgKind.Path,
            4 when path => Syscalls.ArgKind.DirFd,
            4 when cmd == SetFd => Syscalls.ArgKind.Fd,
            _ => Syscalls.ArgKind.Skip, // the fs context descriptor and the key are not files
        };
    }

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        DecodeText.Fd(ref c, sb, (int)c.Args[0], CaptureSlot.FdLink(0));
        sb.Append(", ");
        ulong cmd = (uint)c.Args[1];
        FlagTables.Enum(sb, cmd, FlagTables.FsconfigCommands, "FSCONFIG_???");
        sb.Append(", ");
        if (cmd <= SetFd)
            LimitedString(ref c, sb, 2);
        else
            Address(sb, c.Args[2]);
        sb.Append(", ");
        int aux = (int)c.Args[4];
        ulong value = c.Args[3];
        switch (cmd)
        {
            case SetString:
                LimitedString(ref c, sb, 3);
                break;
            case SetBinary when aux >= 0 && aux <= BinaryMax:
                if (value == 0 && aux > 0) { sb.Append("NULL"); break; }
                if (!c.Data.TryGet(CaptureSlot.Entry(3), out ReadOnlySpan<byte> b, out CaptureStatus st) && aux > 0
                    || st != CaptureStatus.Ok || b.Length < Math.Min(aux, c.StringLimit))
                {
                    Address(sb, value);
                    break;
                }
                StraceText.Quote(sb, b, aux > c.StringLimit, hex: true);
                break;
            case SetPath or SetPathEmpty:
                if (value == 0) sb.Append("NULL");
                else if (c.Data.TryGet(CaptureSlot.Entry(3), out ReadOnlySpan<byte> p, out CaptureStatus ps) && ps != CaptureStatus.Fault)
                    StraceText.Quote(sb, p, ps == CaptureStatus.Truncated);
                else
                    StraceText.Pointer(sb, value);
                break;
            default:
                Address(sb, value);
                break;
        }
        sb.Append(", ");
        if (cmd is SetPath or SetPathEmpty)
        {
            if (aux == -100)
            {
                sb.Append("AT_FDCWD");
                if (c.Data.TryGetFull(CaptureSlot.FdLink(4), 1, out ReadOnlySpan<byte> link)) StraceText.Link(sb, link);
            }
            else
            {
                DecodeText.Fd(ref c, sb, aux, CaptureSlot.FdLink(4));
            }
        }
        else if (cmd == SetFd)
        {
            DecodeText.Fd(ref c, sb, aux, CaptureSlot.FdLink(4));
        }
        else
        {
            sb.Append(aux.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Address(StringBuilder sb, ulong v)
    {
        if (v == 0) sb.Append("NULL");
        else StraceText.Pointer(sb, v);
    }

    private static void LimitedString(ref DecodeContext c, StringBuilder sb, int i) => BoundedStringCodec.Print(ref c, sb, i);
}
