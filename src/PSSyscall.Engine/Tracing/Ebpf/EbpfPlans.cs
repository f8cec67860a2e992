using System.Buffers.Binary;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Decoding.Printers;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Ebpf;

/// <summary>
/// Compiles the capture plans the ptrace backend interprets (Tracing/ArgumentCapture.cs: the
/// argument kinds, the codecs' <see cref="CapturePlan"/>s, the printers' <see cref="ConditionalPlan"/>s)
/// into the kernel program's per-syscall table (`plans`, struct pss_plan in src/bpf/pssyscall_bpf.h):
/// up to 16 operations a syscall, each "copy this from argument N at entry/exit, so long, into
/// that capture slot, when argument M has this value". The bytes land in the same slots and
/// statuses as ptrace's captures, so EventFactory and the decoders see the same data.
/// What the kernel side does not capture (captures of more than <see cref="BigMax"/> bytes,
/// descriptor offsets it cannot encode; none in today's tables) leaves a call not fully
/// captured: those arguments print as addresses.
/// </summary>
internal static class EbpfPlans
{
    public const int MaxSyscalls = 512;
    /// <summary>Plans in the kernel's table (PSS_PLANS): x86_64's, then i386's at MaxSyscalls + nr.</summary>
    public const int MaxPlans = 2 * MaxSyscalls;
    private const int I386ExecveAt = 358;
    public const int MaxOps = 16;
    public const int OpSize = 48;
    public const int CondOps = 4;
    public const int PlanSize = 16 + MaxOps * OpSize;
    public const int CondKeySize = 16;
    public const int CondValueSize = 8 + CondOps * OpSize;

    private const byte WEntry = 1, WExit = 2, WExitAny = 3, WExitPos = 4;
    private const byte KFixed = 0, KArgCount = 1, KRetCount = 2, KCString = 3, KPointee = 4,
        KFdLink = 5, KDirFdLink = 6, KRetFdLink = 7, KPipeFds = 8, KDirents = 9, KArgv = 10, KEnvp = 11, KStack = 12, KIovec = 13, KMsghdr = 14, KFixedAt = 15,
        KBig = 16, KPollFds = 17, KFdSet = 18, KSigsetPtr = 19, KMmsghdrs = 20, KClonePtid = 21, KRights = 22, KFdAt = 23, KNested = 24, KWiden = 25, KCloneTls = 26;
    /// <summary>The most bytes a KBig capture copies (PSS_BIG_MAX): epoll_event[1024].</summary>
    private const int BigMax = 12288;
    private const byte OStringLimited = 1, OBounded = 2, OCond = 4;
    private const byte NoArgument = 255;
    private const int PathMax = 4096;
    private const int ExecveAt = 322;

    private readonly record struct Op(byte When, byte Kind, int Arg, int Slot, int CountArg = NoArgument, byte Flags = 0,
        int CondArg = 0, uint Bytes = 0, uint Max = 0, uint Header = 0, uint Unit = 1, int Bias = 0, ulong CondMask = 0, ulong CondValue = 0, byte LenKind = 0, uint At = 0);

    /// <summary>The table for x86_64, then for i386 (int 0x80), each with the filter's selection
    /// by that ABI's names; <paramref name="full"/>[index] is false for calls some of
    /// whose memory the kernel side does not capture.
    /// <paramref name="conditional"/>: the `condops` entries (key, value) for multiplexed calls
    /// with more ops than a plan holds (ioctl's commands), keyed by the selector's value.</summary>
    public static byte[][] Build(SyscallFilter filter, out bool[] full, out List<(byte[] Key, byte[] Value)> conditional)
    {
        SyscallTable table = SyscallTable.For(SyscallArchitecture.X86_64);
        SyscallTable i386 = SyscallTable.For(SyscallArchitecture.I386);
        var plans = new byte[MaxPlans][];
        full = new bool[MaxPlans];
        conditional = new List<(byte[], byte[])>();
        for (int index = 0; index < MaxPlans; index++)
        {
            byte[] plan = new byte[PlanSize];
            plans[index] = plan;
            if (index < MaxSyscalls ? !filter.Selects(SyscallArchitecture.X86_64, index) : !filter.Selects(SyscallArchitecture.I386, index - MaxSyscalls))
                continue;
            plan[0] = 1;
            full[index] = index < MaxSyscalls
                ? Lay(index, table.GetSignature(index), plan, conditional, compat: false)
                : Lay(index, i386.GetSignature(index - MaxSyscalls), plan, conditional, compat: true);
        }
        DeferDirectoryLinks(plans, conditional);
        return plans;
    }

    /// <summary>When a directory descriptor's link (openat's AT_FDCWD&lt;/cwd&gt;) is the only path
    /// the entry needs, it is taken at the exit instead: the descriptor is still open then and the
    /// working directory the same, and sys_enter then has no path walk for the verifier to check
    /// (~5,000 instructions: a few milliseconds of every filtered trace's start). Not for
    /// execveat, whose descriptor a successful exec may have closed (O_CLOEXEC).</summary>
    private static void DeferDirectoryLinks(byte[][] plans, List<(byte[] Key, byte[] Value)> conditional)
    {
        KindsUsed(plans, conditional, out uint entry, out _);
        const uint walks = 1u << KFdLink | 1u << KPipeFds | 1u << KRetFdLink | 1u << KPollFds | 1u << KFdSet | 1u << KRights | 1u << KFdAt;
        if ((entry & (1u << KDirFdLink)) == 0 || (entry & walks) != 0)
            return;
        for (int nr = 0; nr < plans.Length; nr++)
        {
            byte[] plan = plans[nr];
            if (plan[0] == 0 || nr == ExecveAt || nr == MaxSyscalls + I386ExecveAt)
                continue;
            for (int k = 0; k < plan[1]; k++)
            {
                Span<byte> op = plan.AsSpan(16 + k * OpSize, OpSize);
                if (op[0] == WEntry && op[1] == KDirFdLink)
                    op[0] = WExitAny;
            }
        }
    }

    /// <summary>The capture kinds (bit 1 &lt;&lt; kind) the table's operations use at entry and at exit:
    /// the program's read-only pss_kinds, so the verifier walks only the capture code a trace can
    /// reach (src/bpf/pssyscall_bpf.h, struct pss_kinds).</summary>
    public static void KindsUsed(byte[][] plans, List<(byte[] Key, byte[] Value)> conditional, out uint entry, out uint exit)
    {
        uint onEntry = 0, onExit = 0;
        void Add(ReadOnlySpan<byte> op)
        {
            if (op[0] == WEntry)
                onEntry |= 1u << op[1];
            else
                onExit |= 1u << op[1];
        }
        foreach (byte[] plan in plans)
        {
            if (plan[0] == 0)
                continue;
            for (int k = 0; k < plan[1]; k++)
                Add(plan.AsSpan(16 + k * OpSize, OpSize));
        }
        foreach (var (_, value) in conditional)
        {
            for (int k = 0; k < value[0]; k++)
                Add(value.AsSpan(8 + k * OpSize, OpSize));
        }
        entry = onEntry;
        exit = onExit;
    }

    /// <summary>Writes a call's plan (and its condops entries); false when not everything fits.</summary>
    private static bool Lay(int nr, SyscallSignature sig, byte[] plan, List<(byte[] Key, byte[] Value)> conditional, bool compat)
    {
        if (compat && I386Rewritten.Contains(nr - MaxSyscalls))
            return false; // no captures: the registers only
        var ops = new List<Op>();
        var cond = new List<Op>();
        bool full = Compile(sig, ops, cond, compat);
        if (ops.Count + cond.Count <= MaxOps)
        {
            ops.AddRange(cond);
        }
        else if (cond.Count > 0 && cond.All(o => o.CondArg == cond[0].CondArg && o.CondMask == cond[0].CondMask))
        {
            plan[2] = (byte)(cond[0].CondArg + 1);
            BinaryPrimitives.WriteUInt64LittleEndian(plan.AsSpan(8), cond[0].CondMask);
            foreach (var group in cond.GroupBy(o => o.CondValue))
            {
                var list = group.ToList();
                if (list.Count > CondOps)
                {
                    full = false;
                    list.RemoveRange(CondOps, list.Count - CondOps);
                }
                byte[] key = new byte[CondKeySize];
                BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)nr);
                BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), group.Key & cond[0].CondMask);
                byte[] value = new byte[CondValueSize];
                value[0] = (byte)list.Count;
                for (int k = 0; k < list.Count; k++)
                    Write(value.AsSpan(8 + k * OpSize, OpSize), list[k]);
                conditional.Add((key, value));
            }
        }
        else
        {
            ops.AddRange(cond);
        }
        if (ops.Count > MaxOps)
        {
            full = false;
            ops.RemoveRange(MaxOps, ops.Count - MaxOps);
        }
        plan[1] = (byte)ops.Count;
        for (int k = 0; k < ops.Count; k++)
            Write(plan.AsSpan(16 + k * OpSize, OpSize), ops[k]);
        return full;
    }

    /// <summary>Per x86_64 number: the result is a descriptor only for some arguments, which a codec
    /// decides (landlock_create_ruleset's version query): the kernel side captures the link
    /// whenever the call succeeds, and the reader drops it when the arguments say "no descriptor".</summary>
    public static bool[] ConditionalDescriptorResults()
    {
        var result = new bool[MaxPlans];
        foreach (var (arch, at) in new[] { (SyscallArchitecture.X86_64, 0), (SyscallArchitecture.I386, MaxSyscalls) })
        {
            SyscallTable table = SyscallTable.For(arch);
            for (int nr = 0; nr < MaxSyscalls && nr < table.Count; nr++)
            {
                SyscallSignature sig = table.GetSignature(nr);
                result[at + nr] = sig.Printer is null && sig.ReturnKind == ReturnKind.Fd && sig.Codecs is { } codecs
                    && codecs.Any(c => c is not null && c.GetType().GetMethod(nameof(ArgCodec.ResultIsNotDescriptor))!.DeclaringType != typeof(ArgCodec));
            }
        }
        return result;
    }

    /// <summary>True when every capture the ptrace backend makes for this call is made by the kernel side.</summary>
    public static bool IsFullyCaptured(int number) => IsFullyCaptured(SyscallArchitecture.X86_64, number);

    /// <summary>The same for an x86_64 or an i386 call (int 0x80 of a 64-bit process).</summary>
    public static bool IsFullyCaptured(SyscallArchitecture architecture, int number) => architecture switch
    {
        SyscallArchitecture.X86_64 => number >= 0 && number < MaxSyscalls && Lay(number, SyscallTable.For(architecture).GetSignature(number), new byte[PlanSize], new List<(byte[], byte[])>(), compat: false),
        SyscallArchitecture.I386 => number >= 0 && number < MaxSyscalls && Lay(MaxSyscalls + number, SyscallTable.For(architecture).GetSignature(number), new byte[PlanSize], new List<(byte[], byte[])>(), compat: true),
        _ => false,
    };

    /// <summary>i386 calls the ptrace backend rewrites at entry into the call they stand for
    /// (I386Subcalls: socketcall, ipc, the old mmap and select, whose arguments are a structure).</summary>
    private static readonly int[] I386Rewritten = new[] { "socketcall", "ipc", "mmap", "select" }
        .Select(n => SyscallTable.I386.TryGetNumber(n, out int nr) ? nr : -1).ToArray();

    /// <summary>An i386 plan the kernel side takes as it is: what ArgumentCapture reads the same
    /// way on both ABIs (not the structures it widens from their 32-bit layout).</summary>
    private static bool SameOnI386(CapturePlan plan) => plan.Compat is not { } layout || plan.Shape switch
    {
        CaptureShape.Memory => layout == CompatLayout.Ilp32 || plan.Length == CaptureLength.CString || (plan.Offset == 0 && LayoutId(layout) >= 0),
        CaptureShape.FdLink or CaptureShape.DirFdLink or CaptureShape.FdPair or CaptureShape.PollFds or CaptureShape.CloneParentTid or CaptureShape.FdSet
            or CaptureShape.Iovec or CaptureShape.Msghdr or CaptureShape.Mmsghdrs or CaptureShape.CloneArgs or CaptureShape.StringArray or CaptureShape.PointerCount or CaptureShape.DirentCount or CaptureShape.SignalFrameMask => true,
        _ => false,
    };

    /// <summary>1 for a walked i386 structure (4-byte words: iovec, argv, envp, dirents), read so
    /// by the kernel side's walk (the op's lenkind).</summary>
    private static byte I386Words(CapturePlan plan) => (byte)(plan.Compat is not null ? 1 : 0);

    private static bool Compile(SyscallSignature sig, List<Op> ops, List<Op> cond, bool compat)
    {
        if (sig.Codecs is not { } codecs)
            return true;
        bool full = true;
        for (int i = 0; i < codecs.Length && i < 6; i++)
        {
            if (codecs[i] is not { } codec)
                continue;
            if (codec.EntryPlan is { When: not CaptureWhen.Never } entry)
                full &= SameOnI386(entry) && FromShaped(entry, i, WEntry, CaptureSlot.Entry(i), ops);
            if (codec.ExitPlan is { When: not CaptureWhen.Never } exit)
                full &= SameOnI386(exit) && FromShaped(exit, i, exit.When == CaptureWhen.ExitAny ? WExitAny : exit.PositiveResult ? WExitPos : WExit, CaptureSlot.Exit(i), ops);
        }
        if (sig.Printer is FcntlPrinter || (compat && sig.Name is "fcntl" or "fcntl64"))
        {
            ops.Add(new Op(WExit, KRetFdLink, 0, CaptureSlot.ReturnFdLink, Flags: OCond, CondArg: 1, CondMask: ulong.MaxValue, CondValue: 0));
            ops.Add(new Op(WExit, KRetFdLink, 0, CaptureSlot.ReturnFdLink, Flags: OCond, CondArg: 1, CondMask: ulong.MaxValue, CondValue: 1030));
        }
        else if (sig.Printer is null && sig.ReturnKind == ReturnKind.Fd)
        {
            ops.Add(new Op(WExit, KRetFdLink, 0, CaptureSlot.ReturnFdLink));
        }
        if (sig.Printer is { } printer)
        {
            foreach (ConditionalPlan p in printer.Captures)
            {
                byte when = p.Plan.When switch
                {
                    CaptureWhen.Entry => WEntry,
                    CaptureWhen.Exit => WExit,
                    _ => 0, // ArgumentCapture takes conditional captures only at entry and at a successful exit
                };
                if (when == 0)
                    continue;
                Op? fdAt = p.FdOffsets is { } offsets ? FdAt(offsets, when, p.Target, ref full) : null;
                var nested = new List<Op>();
                foreach (NestedArray a in p.Nested ?? [])
                {
                    if (a.PointerOffset is < 0 or > 255 || a.CountOffset is < 0 or > 255 || a.ElementSize is < 1 or > 255)
                        full = false;
                    else
                        nested.Add(new Op(when, KNested, p.Target, CaptureSlot.Nested(a.Slot),
                            At: (uint)a.PointerOffset | (uint)a.CountOffset << 8 | (uint)a.ElementSize << 16 | (a.Descriptors ? 1u << 24 : 0)));
                }
                if (p.Plan.Shape != CaptureShape.Memory || !SameOnI386(p.Plan))
                {
                    full = false; // walked structures inside a multiplexed call are not captured in the kernel
                    continue;
                }
                foreach (ulong value in p.Values)
                {
                    Op? op = FromCapture(p.Plan, when, p.Target, when == WEntry ? CaptureSlot.Entry(p.Target) : CaptureSlot.Exit(p.Target), ref full);
                    if (op is { } o)
                    {
                        cond.Add(o with { Flags = (byte)(o.Flags | OCond), CondArg = p.Selector, CondMask = p.Mask, CondValue = value });
                        if (fdAt is { } f)
                            cond.Add(f with { Flags = OCond, CondArg = p.Selector, CondMask = p.Mask, CondValue = value });
                        foreach (Op n in nested)
                            cond.Add(n with { Flags = OCond, CondArg = p.Selector, CondMask = p.Mask, CondValue = value });
                    }
                }
            }
        }
        return full;
    }

    /// <summary>One codec plan at one stop, by its shape (<see cref="CaptureShape"/>), as
    /// ArgumentCapture interprets it; false for what the kernel side does not capture in full.</summary>
    private static bool FromShaped(CapturePlan plan, int i, byte when, int slot, List<Op> ops)
    {
        bool full = true;
        switch (plan.Shape)
        {
            case CaptureShape.Memory when plan.Offset != 0:
                // a field of a structure (msghdr's msg_namelen as given): fixed bytes at an offset
                if (plan.Length == CaptureLength.Fixed)
                    ops.Add(new Op(when, KFixedAt, i, slot, Bytes: (uint)plan.Bytes, Header: (uint)plan.Offset));
                else
                    full = false;
                break;
            case CaptureShape.Memory:
                if (FromCapture(plan, when, i, slot, ref full) is { } op)
                    ops.Add(op);
                break;
            case CaptureShape.CloneArgs:
                if (FromCapture(plan with { Compat = null }, when, i, slot, ref full) is { } args)
                    ops.Add(args);
                if (plan.Compat is not null)
                    ops.Add(new Op(when, KCloneTls, i, CaptureSlot.Extra, CountArg: plan.Argument)); // i386: the struct user_desc tls points to
                break;
            case CaptureShape.FdLink:
                ops.Add(new Op(when, KFdLink, i, CaptureSlot.FdLink(i)));
                break;
            case CaptureShape.DirFdLink:
                ops.Add(new Op(when, KDirFdLink, i, CaptureSlot.FdLink(i)));
                break;
            case CaptureShape.FdPair:
                ops.Add(new Op(when, KPipeFds, i, slot));
                break;
            case CaptureShape.PollFds when when == WEntry:
                // the array (as many elements as the text shows) and its descriptors' links
                ops.Add(new Op(when, KPollFds, i, slot, CountArg: plan.Argument, Bytes: 8, Max: 8192));
                break;
            case CaptureShape.PollFds:
                if (FromCapture(plan with { Shape = CaptureShape.Memory }, when, i, slot, ref full) is { } whole)
                    ops.Add(whole);
                break;
            case CaptureShape.FdSet:
                // the set, in whole longs as the kernel reads it (4 bytes on i386: LenKind 1); at
                // entry its descriptors' links
                ops.Add(new Op(when, KFdSet, i, slot, CountArg: plan.Argument, LenKind: (byte)(plan.Compat is not null ? 1 : 0)));
                break;
            case CaptureShape.Iovec:
                ops.Add(new Op(when, KIovec, i, slot, CountArg: plan.Argument, LenKind: I386Words(plan)));
                break;
            case CaptureShape.Msghdr:
                // then the links of the descriptors its SCM_RIGHTS messages carry
                ops.Add(new Op(when, KMsghdr, i, slot, LenKind: I386Words(plan)));
                ops.Add(new Op(when, KRights, i, slot, LenKind: I386Words(plan)));
                break;
            case CaptureShape.Mmsghdrs when plan.Length is CaptureLength.ArgumentCount or CaptureLength.ReturnCount:
                // i386's: widened by their layout first (At: its id + 1)
                ops.Add(new Op(when, KMmsghdrs, i, slot, CountArg: plan.Length == CaptureLength.ArgumentCount ? plan.Argument : NoArgument,
                    Bytes: (uint)plan.Bytes, LenKind: plan.Length == CaptureLength.ArgumentCount ? KArgCount : KRetCount,
                    At: plan.Compat is not null ? (uint)LayoutId(CompatMmsghdr) + 1 : 0));
                break;
            case CaptureShape.SigsetPointer:
                ops.Add(new Op(when, KSigsetPtr, i, slot));
                break;
            case CaptureShape.CloneParentTid:
                ops.Add(new Op(when, KClonePtid, i, slot, CountArg: plan.Argument, Bytes: (uint)plan.Bytes));
                break;
            case CaptureShape.StringArray:
                ops.Add(new Op(when, KArgv, i, slot, LenKind: I386Words(plan)));
                break;
            case CaptureShape.PointerCount:
                ops.Add(new Op(when, KEnvp, i, slot, LenKind: I386Words(plan)));
                break;
            case CaptureShape.DirentCount:
                ops.Add(new Op(when, KDirents, i, slot, LenKind: I386Words(plan)));
                break;
            case CaptureShape.SignalFrameMask when plan.Offset != 0:
                // i386's old sigreturn: the mask's low word in the sigcontext the stack pointer is
                // at, its high word (extramask) after the sigcontext (88) and the _fpstate_32 (624)
                ops.Add(new Op(when, KStack, i, slot, Bytes: 4, Header: (uint)plan.Offset));
                ops.Add(new Op(when, KStack, i, CaptureSlot.Extra, Bytes: 4, Header: 88 + 624));
                break;
            case CaptureShape.SignalFrameMask:
                // rt_sigframe's uc_sigmask, 296 bytes above the stack pointer at entry (as ArgumentCapture
                // reads it; 248 in i386's frame)
                ops.Add(new Op(when, KStack, i, slot, Bytes: (uint)plan.Bytes, Header: plan.Compat is not null ? 248u : 296u));
                break;
            default:
                full = false;
                break;
        }
        return full;
    }

    /// <summary>The descriptors inside a structure a conditional plan captures (bpf's attr,
    /// seccomp's addfd): an op after the structure's, with their offsets (ArgumentCapture links
    /// at most <see cref="CaptureSlot.ArrayFdLinks"/> of them).</summary>
    private static Op? FdAt(int[] offsets, byte when, int target, ref bool full)
    {
        int count = Math.Min(offsets.Length, CaptureSlot.ArrayFdLinks);
        uint at = 0;
        if (count <= 4 && offsets.Take(count).All(o => o is >= 0 and <= 255))
        {
            for (int k = 0; k < count; k++)
                at |= (uint)offsets[k] << (8 * k);
        }
        else if (!offsets.Take(count).Select((o, k) => o == 4 * k).All(b => b))
        {
            full = false; // neither form the kernel side reads
            return null;
        }
        return new Op(when, KFdAt, target, count, At: at);
    }

    private static Op? FromCapture(CapturePlan plan, byte when, int arg, int slot, ref bool full)
    {
        uint max = (uint)Math.Max(0, plan.Max);
        bool big = false;
        if (max > CapturePlan.DefaultMax && max <= BigMax && plan.Length is CaptureLength.Fixed or CaptureLength.ArgumentCount or CaptureLength.ReturnCount)
        {
            big = true; // copied in pieces by put_bytes_big
        }
        else if (max > CapturePlan.DefaultMax)
        {
            full = false; // the kernel side copies at most DefaultMax bytes a capture
            max = CapturePlan.DefaultMax;
        }
        byte flags = (byte)((plan.StringLimited ? OStringLimited : 0) | (plan.Bounded ? OBounded : 0));
        byte kind;
        int countArg = NoArgument;
        switch (plan.Length)
        {
            case CaptureLength.Fixed: kind = KFixed; break;
            case CaptureLength.ArgumentCount: kind = KArgCount; countArg = plan.Argument; break;
            case CaptureLength.ReturnCount: kind = KRetCount; countArg = plan.Argument >= 0 ? plan.Argument : NoArgument; break;
            case CaptureLength.CString: kind = KCString; break;
            case CaptureLength.ArgumentPointee: kind = KPointee; countArg = plan.Argument; break;
            default: full = false; return null;
        }
        if (countArg != NoArgument && (countArg < 0 || countArg > 5))
        {
            full = false;
            return null;
        }
        int layout = -1;
        if (plan.Compat is { } compat && compat != CompatLayout.Ilp32 && plan.Length != CaptureLength.CString)
        {
            // an i386 structure, widened into x86_64's layout as ArgumentCapture.AddWidened does
            layout = LayoutId(compat);
            if (layout < 0 || big || plan.Offset != 0)
            {
                full = false;
                return null;
            }
        }
        return new Op(when, layout >= 0 ? KWiden : big ? KBig : kind, arg, slot, countArg, flags, Bytes: (uint)Math.Max(0, plan.Bytes), Max: max,
            Header: (uint)Math.Max(0, plan.Header), Unit: (uint)Math.Max(1, plan.Unit), Bias: plan.CountBias, LenKind: kind, At: (uint)Math.Max(0, layout));
    }

    /// <summary>The kernel's table of i386 layouts (`layouts`, struct pss_layout): the ids that
    /// KWiden ops name, in the order they were first met (the same for every trace of a process).</summary>
    public const int MaxLayouts = 128, MaxLayoutFields = 64, LayoutSize = 8 + MaxLayoutFields * 8;

    private static readonly List<CompatLayout> Layouts = new();

    /// <summary>i386's struct mmsghdr (ArgumentCapture's CompatMmsghdr).</summary>
    private static readonly CompatLayout CompatMmsghdr = CompatLayout.Of("ptr int ptr ulong ptr ulong int uint");

    /// <summary>The id of an i386 layout the kernel side can widen (-1: siginfo's, chosen by the
    /// signal; or too many fields).</summary>
    private static int LayoutId(CompatLayout layout)
    {
        if (layout == CompatLayout.Siginfo || layout == CompatLayout.Ilp32 || layout.Fields.Count > MaxLayoutFields
            || layout.CompatSize is < 1 or > 4096 || layout.NativeSize is < 1 or > 4096
            || layout.Fields.Any(f => f.From + f.FromSize > layout.CompatSize || f.To + f.ToSize > layout.NativeSize || f.FromSize is < 1 or > 255
                || (f.FromSize != f.ToSize && (f.FromSize is not (1 or 2 or 4) || f.ToSize is not (2 or 4 or 8)))))
            return -1;
        lock (Layouts)
        {
            int id = Layouts.IndexOf(layout);
            if (id < 0 && Layouts.Count < MaxLayouts)
            {
                Layouts.Add(layout);
                id = Layouts.Count - 1;
            }
            return id;
        }
    }

    /// <summary>The `layouts` entries for the ids given so far: [compat size u16][native size u16]
    /// [fields u16][0 u16], then per field [from u16][to u16][from size u8][to size u8][signed u8][0].</summary>
    public static List<byte[]> LayoutTable()
    {
        lock (Layouts)
        {
            var table = new List<byte[]>(Layouts.Count);
            foreach (CompatLayout layout in Layouts)
            {
                byte[] v = new byte[LayoutSize];
                BinaryPrimitives.WriteUInt16LittleEndian(v, (ushort)layout.CompatSize);
                BinaryPrimitives.WriteUInt16LittleEndian(v.AsSpan(2), (ushort)layout.NativeSize);
                BinaryPrimitives.WriteUInt16LittleEndian(v.AsSpan(4), (ushort)layout.Fields.Count);
                for (int k = 0; k < layout.Fields.Count; k++)
                {
                    CompatLayout.Field f = layout.Fields[k];
                    Span<byte> d = v.AsSpan(8 + k * 8, 8);
                    BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)f.From);
                    BinaryPrimitives.WriteUInt16LittleEndian(d[2..], (ushort)f.To);
                    d[4] = (byte)f.FromSize;
                    d[5] = (byte)f.ToSize;
                    d[6] = (byte)(f.Signed ? 1 : 0);
                }
                table.Add(v);
            }
            return table;
        }
    }

    private static void Write(Span<byte> d, Op op)
    {
        d[0] = op.When;
        d[1] = op.Kind;
        d[2] = (byte)op.Arg;
        d[3] = (byte)op.Slot;
        d[4] = (byte)op.CountArg;
        d[5] = op.Flags;
        d[6] = (byte)op.CondArg;
        d[7] = op.LenKind;
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], op.Bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], op.Max);
        BinaryPrimitives.WriteUInt32LittleEndian(d[16..], op.Header);
        BinaryPrimitives.WriteUInt32LittleEndian(d[20..], op.Unit);
        BinaryPrimitives.WriteInt32LittleEndian(d[24..], op.Bias);
        BinaryPrimitives.WriteUInt32LittleEndian(d[28..], op.At);
        BinaryPrimitives.WriteUInt64LittleEndian(d[32..], op.CondMask);
        BinaryPrimitives.WriteUInt64LittleEndian(d[40..], op.CondValue);
    }
}
