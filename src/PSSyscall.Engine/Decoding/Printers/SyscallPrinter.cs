using System.Text;
using PSSyscall.Engine.Decoding.Codecs;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>
/// A capture that applies only when a selector argument holds one of some values: what a
/// multiplexed call reads or writes depends on its command (fcntl's F_SETLK reads a struct flock
/// from argument 2, F_GETLK writes one). Plain data, like <see cref="CapturePlan"/>, so a kernel-side
/// backend can compile it into a switch on the selector.
/// </summary>
/// <param name="Selector">The argument that chooses (the command).</param>
/// <param name="Values">The selector values this capture applies to.</param>
/// <param name="Target">The argument whose memory is captured (into its entry or exit slot).</param>
/// <param name="Plan">What to capture.</param>
/// <param name="Mask">The bits of the selector that choose (futex's command without its flags).</param>
/// <param name="FdOffsets">Offsets of descriptors (int) inside the captured bytes whose links are
/// captured too, the k-th offset's into <see cref="Tracing.CaptureSlot.ArrayFdLink"/>(k) (strace -y
/// annotates descriptors inside structures: bpf's prog_fd).</param>
/// <param name="Nested">Arrays the captured structure points to, captured too.</param>
public readonly record struct ConditionalPlan(int Selector, ulong[] Values, int Target, CapturePlan Plan, ulong Mask = ulong.MaxValue, int[]? FdOffsets = null, NestedArray[]? Nested = null)
{
    public bool AppliesTo(ReadOnlySpan<ulong> args) => Array.IndexOf(Values, args[Selector] & Mask) >= 0;
}

/// <summary>
/// An array a captured structure points to (io_uring's resource data and tags): the pointer (u64)
/// and the element count (u32) at these offsets of the structure; at most string-limit elements
/// are copied into <see cref="Tracing.CaptureSlot.Nested"/>(Slot), fewer when the memory ends (the
/// capture is then Truncated). Descriptors: the elements are ints whose links are captured into
/// <see cref="Tracing.CaptureSlot.ArrayFdLink"/>(k).
/// </summary>
public readonly record struct NestedArray(int PointerOffset, int CountOffset, int ElementSize, int Slot, bool Descriptors = false);

/// <summary>
/// The decoder of a multiplexed call (fcntl, and in time futex, prctl, ioctl, the SysV ctl calls,
/// bpf, keyctl...): strace's way, one class per call family holding the capture, the arguments and
/// the result of that call, registered by name (<see cref="SyscallPrinters"/>). The signature
/// table still gives the arguments' kinds (roles such as the descriptor) and C types.
/// </summary>
internal abstract class SyscallPrinter
{
    /// <summary>What to capture, by command; interpreted by Tracing/ArgumentCapture.</summary>
    public virtual ConditionalPlan[] Captures => Array.Empty<ConditionalPlan>();

    /// <summary>The captures for an i386 tracee (plans with the 32-bit layouts, see
    /// <see cref="Codecs.CompatLayout"/>); null when this printer does not model them yet (the
    /// call is then shown raw on i386). By default: a printer that captures nothing.</summary>
    public virtual ConditionalPlan[]? CompatCaptures => Captures.Length == 0 ? Captures : null;

    /// <summary>True when the result is a new descriptor for these arguments (annotated like one).</summary>
    public virtual bool ResultIsDescriptor(ReadOnlySpan<ulong> args) => false;

    /// <summary>strace -P: what argument <paramref name="i"/> is for path matching with these
    /// arguments (Path: its captured entry string; Fd or DirFd: its link; Skip: not matched), or
    /// null for what the signature's kind says (fsconfig matches its value and aux only by command).</summary>
    public virtual Syscalls.ArgKind? TracedAs(int i, ReadOnlySpan<ulong> args) => null;

    public abstract void PrintArguments(ref DecodeContext c, StringBuilder sb);

    /// <summary>The successful result (errors and "?" are the driver's).</summary>
    public virtual void PrintResult(ref DecodeContext c, StringBuilder sb)
    {
        sb.Append(c.Return.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (ResultIsDescriptor(c.Args) && c.Data.TryGetFull(Tracing.CaptureSlot.ReturnFdLink, 1, out ReadOnlySpan<byte> link))
            StraceText.Link(sb, link);
    }
}

/// <summary>The per-syscall printers by syscall name.</summary>
internal static class SyscallPrinters
{
    public static SyscallPrinter? Get(string name) => name switch
    {
        "fcntl" => FcntlPrinter.Instance,
        "prctl" => PrctlPrinter.Instance,
        "futex" => FutexPrinter.Instance,
        "ioctl" => IoctlPrinter.Instance,
        "fsconfig" => FsconfigPrinter.Instance,
        "mount" => MountPrinter.Instance,
        "kcmp" => KcmpPrinter.Instance,
        "io_uring_register" => IoUringRegisterPrinter.Instance,
        "bpf" => BpfPrinter.Instance,
        "clone" => ClonePrinter.Instance,
        "arch_prctl" => ArchPrctlPrinter.Instance,
        _ => null,
    };
}

/// <summary>A printer on i386: its 32-bit captures (<see cref="SyscallPrinter.CompatCaptures"/>),
/// which keep x86_64's layout in the capture, so the printing is the printer's own.</summary>
internal sealed class CompatPrinter(SyscallPrinter inner) : SyscallPrinter
{
    public override ConditionalPlan[] Captures { get; } = inner.CompatCaptures ?? throw new ArgumentException("No i386 captures", nameof(inner));

    public override bool ResultIsDescriptor(ReadOnlySpan<ulong> args) => inner.ResultIsDescriptor(args);

    public override Syscalls.ArgKind? TracedAs(int i, ReadOnlySpan<ulong> args) => inner.TracedAs(i, args);

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb) => inner.PrintArguments(ref c, sb);

    public override void PrintResult(ref DecodeContext c, StringBuilder sb) => inner.PrintResult(ref c, sb);
}
