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
    public static readonly PrctlPrinter Instance = new();

    private const ulong PR_SET_PDEATHSIG = 1, PR_SET_NAME = 15, PR_GET_NAME = 16, PR_CAP_AMBIENT = 47;
    private const int TaskCommLength = 16;

    private static readonly ulong[] Getters = { 2 /* PR_GET_PDEATHSIG */, 3 /* PR_GET_DUMPABLE */, 7 /* PR_GET_KEEPCAPS */, 21 /* PR_GET_SECCOMP */, 37 /* PR_GET_CHILD_SUBREAPER */, 39 /* PR_GET_NO_NEW_PRIVS */, 40 /* PR_GET_THP_DISABLE */ };
    private static readonly ulong[] NumberSetters = { 4 /* PR_SET_DUMPABLE */, 8 /* PR_SET_KEEPCAPS */, 36 /* PR_SET_CHILD_SUBREAPER */, 38 /* PR_SET_NO_NEW_PRIVS */ };

    public override ConditionalPlan[] Captures { get; } =
    {
        new(0, new[] { PR_SET_NAME }, 1, new CapturePlan(CaptureWhen.Entry, CaptureLength.CString, Max: TaskCommLength)),
        new(0, new[] { PR_GET_NAME }, 1, new CapturePlan(CaptureWhen.Exit, CaptureLength.CString, Max: TaskCommLength)),
    };

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong option = c.Args[0];
        FlagTables.Enum(sb, option, PrctlOptions, "PR_???");
        ReadOnlySpan<byte> b;
        switch (option)
        {
            case PR_SET_NAME:
                sb.Append(", ");
                // A name of 16 bytes without a NUL: the kernel keeps 15, and strace shows those and "...".
                if (c.Data.TryGet(CaptureSlot.Entry(1), out b, out CaptureStatus st) && st != CaptureStatus.Fault)
                    StraceText.Quote(sb, st == CaptureStatus.Truncated ? b[..Math.Min(b.Length, TaskCommLength - 1)] : b, st == CaptureStatus.Truncated);
                else
                    StraceText.Pointer(sb, c.Args[1]);
                return;
            case PR_GET_NAME:
                sb.Append(", ");
                if (!c.Failed && c.Data.TryGet(CaptureSlot.Exit(1), out b, out _)) StraceText.Quote(sb, b, false);
                else StraceText.Pointer(sb, c.Args[1]);
                return;
            case PR_SET_PDEATHSIG:
                sb.Append(", ").Append(SignalNames.GetName((int)c.Args[1]));
                return;
        }
        if (Array.IndexOf(Getters, option) >= 0)
            return;
        if (Array.IndexOf(NumberSetters, option) >= 0)
        {
            sb.Append(", ").Append(c.Args[1].ToString(CultureInfo.InvariantCulture));
            if (option == 38) // PR_SET_NO_NEW_PRIVS shows the unused arguments too
                sb.Append(", ").Append(c.Args[2]).Append(", ").Append(c.Args[3]).Append(", ").Append(c.Args[4]);
            return;
        }
        for (int k = 1; k < 5; k++)
        {
            sb.Append(", ");
            StraceText.Hex(sb, c.Args[k]);
        }
    }
}
