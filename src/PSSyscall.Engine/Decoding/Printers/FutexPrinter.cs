using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>futex(uaddr, op, val, timeout, uaddr2, val3): the command with its PRIVATE and
/// CLOCK_REALTIME flags, then the arguments that command reads (a timeout for the WAIT kinds,
/// a second address and count for REQUEUE, a bitset).</summary>
internal sealed class FutexPrinter : SyscallPrinter
{
    public static readonly FutexPrinter Instance = new();

    // i386's futex reads a 32-bit timespec (futex_time64 takes this printer with x86_64's layout).
    private ConditionalPlan[]? _compat;

    public override ConditionalPlan[]? CompatCaptures => _compat ??= Array.ConvertAll(Captures, p => p with { Plan = p.Plan with { Compat = Codecs.CompatLayout.Of("long long") } });

    private const ulong FutexCommandMask = 0x7f; // without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME

    public override ConditionalPlan[] Captures { get; } =
    {
        // The WAIT kinds (WAIT, WAIT_BITSET, WAIT_REQUEUE_PI) read a timespec timeout.
        new(1, new ulong[] { 0, 9, 11 }, 3, CapturePlan.AtEntry(16), FutexCommandMask),
    };

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong op = c.Args[1];
        int cmd = (int)(op & 0x7f);
        StraceText.Pointer(sb, c.Args[0]);
        sb.Append(", ");
        string? name = FlagTables.NameOf((ulong)cmd, FutexCommands);
        if (name is null) { StraceText.Hex(sb, op); }
        else
        {
            sb.Append(name);
            if ((op & 128) != 0) sb.Append("_PRIVATE");
            if ((op & 256) != 0) sb.Append("|FUTEX_CLOCK_REALTIME");
            ulong unknown = op & ~0x1ffUL;
            if (unknown != 0) sb.Append("|0x").Append(unknown.ToString("x"));
        }
        int val = (int)c.Args[2];
        switch (cmd)
        {
            case 0: // WAIT
            case 9: // WAIT_BITSET
            case 11: // WAIT_REQUEUE_PI
                sb.Append(", ").Append(((uint)val).ToString(CultureInfo.InvariantCulture)).Append(", ");
                FutexTimeout(ref c, sb);
                if (cmd == 9)
                {
                    sb.Append(", ");
                    FutexBitset(sb, c.Args[5]);
                }
                else if (cmd == 11)
                {
                    sb.Append(", ");
                    StraceText.Pointer(sb, c.Args[4]);
                }
                break;
            case 1: // WAKE
                sb.Append(", ").Append(((uint)val).ToString(CultureInfo.InvariantCulture));
                break;
            case 10: // WAKE_BITSET
                sb.Append(", ").Append(((uint)val).ToString(CultureInfo.InvariantCulture)).Append(", ");
                FutexBitset(sb, c.Args[5]);
                break;
            case 3: // REQUEUE
                sb.Append(", ").Append(((uint)val).ToString(CultureInfo.InvariantCulture)).Append(", ").Append(((uint)c.Args[3]).ToString(CultureInfo.InvariantCulture)).Append(", ");
                StraceText.Pointer(sb, c.Args[4]);
                break;
            case 4: // CMP_REQUEUE
            case 12:
                sb.Append(", ").Append(((uint)val).ToString(CultureInfo.InvariantCulture)).Append(", ").Append(((uint)c.Args[3]).ToString(CultureInfo.InvariantCulture)).Append(", ");
                StraceText.Pointer(sb, c.Args[4]);
                sb.Append(", ").Append(((uint)c.Args[5]).ToString(CultureInfo.InvariantCulture));
                break;
            case 6: // LOCK_PI
            case 13:
                sb.Append(", ");
                FutexTimeout(ref c, sb);
                break;
            case 7: // UNLOCK_PI
            case 8: // TRYLOCK_PI
                break;
            default:
                for (int k = 2; k < 6; k++) { sb.Append(", "); StraceText.Hex(sb, c.Args[k]); }
                break;
        }
    }

    private static void FutexTimeout(ref DecodeContext c, StringBuilder sb)
    {
        if (c.Args[3] == 0) sb.Append("NULL");
        else if (c.Data.TryGetFull(CaptureSlot.Entry(3), 16, out ReadOnlySpan<byte> b)) DecodeText.Time(sb, b, false);
        else StraceText.Pointer(sb, c.Args[3]);
    }

    private static void FutexBitset(StringBuilder sb, ulong v)
    {
        if ((uint)v == uint.MaxValue) sb.Append("FUTEX_BITSET_MATCH_ANY");
        else StraceText.Hex(sb, (uint)v);
    }

}
