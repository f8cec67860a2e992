using System.Buffers.Binary;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>arch_prctl(code, addr): ARCH_GET_FS and ARCH_GET_GS write the base through addr
/// ([0x7f...] after success); the other codes take it as a value.</summary>
internal sealed class ArchPrctlPrinter : SyscallPrinter
{
    private const ulong ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { ARCH_GET_FS, ARCH_GET_GS }, 1, CapturePlan.AtExit(8)),
    };

    public static readonly ArchPrctlPrinter Instance = new();

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong code = c.Args[0];
        FlagTables.Enum(sb, code, ArchPrctlCodes, "ARCH_???");
        sb.Append(", ");
        if (code is ARCH_GET_FS or ARCH_GET_GS && !c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(1), 8, out ReadOnlySpan<byte> b))
        {
            sb.Append('[');
            StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
            sb.Append(']');
        }
        else
        {
            StraceText.Pointer(sb, c.Args[1]);
        }
    }
}
