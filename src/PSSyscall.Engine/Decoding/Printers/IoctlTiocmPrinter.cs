using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The modem-line ioctls TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET (asm-generic/ioctls.h):
/// an unsigned int of TIOCM_* flags, read at entry by the setters and written at exit by TIOCMGET,
/// shown in brackets as strace 6.1 does (tests/ioctl_tiocm.c).</summary>
internal static class IoctlTiocmPrinter
{
    private const ulong Get = 0x5415, Bis = 0x5416, Bic = 0x5417, Set = 0x5418;

    /// <summary>TIOCM_* (asm-generic/termios.h), in strace's order.</summary>
    private static readonly Named[] Lines =
    {
        new(0x001, "TIOCM_LE"), new(0x002, "TIOCM_DTR"), new(0x004, "TIOCM_RTS"), new(0x008, "TIOCM_ST"),
        new(0x010, "TIOCM_SR"), new(0x020, "TIOCM_CTS"), new(0x040, "TIOCM_CAR"), new(0x080, "TIOCM_RNG"),
        new(0x100, "TIOCM_DSR"), new(0x2000, "TIOCM_OUT1"), new(0x4000, "TIOCM_OUT2"), new(0x8000, "TIOCM_LOOP"),
    };

    public static readonly ConditionalPlan[] Captures =
    {
        new(1, new[] { Bis, Bic, Set }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { Get }, 2, CapturePlan.AtExit(4)),
    };

    /// <summary>Appends the argument of a TIOCM request; false for other requests.</summary>
    public static bool TryAppendArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        ReadOnlySpan<byte> b = default;
        bool have;
        if (request is Bis or Bic or Set)
            have = c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b);
        else if (request == Get)
            have = !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 4, out b);
        else
            return false;
        if (!have)
        {
            StraceText.Pointer(sb, c.Args[2]);
            return true;
        }
        sb.Append('[');
        FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b), Lines, "TIOCM_???");
        sb.Append(']');
        return true;
    }
}
