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
/// Kinds the kernel side does not capture (iovecs, msghdrs, fd_sets, argv, dirents, nested
/// arrays) leave a call <see cref="Full"/> false: those arguments print as addresses.
/// </summary>
internal static class EbpfPlans
{
    public const int MaxSyscalls = 512;
    public const int MaxOps = 16;
    public const int OpSize = 48;
    public const int CondOps = 4;
    public const int PlanSize = 16 + MaxOps * OpSize;
    public const int CondKeySize = 16;
    public const int CondValueSize = 8 + CondOps * OpSize;

    private const byte WEntry = 1, WExit = 2, WExitAny = 3, WExitPos = 4;
    private const byte KFixed = 0, KArgCount = 1, KRetCount = 2, KCString = 3, KPointee = 4,
        KFdLink = 5, KDirFdLink = 6, KRetFdLink = 7, KPipeFds = 8, KDirents = 9, KArgv = 10, KEnvp = 11, KStack = 12, KIovec = 13, KMsghdr = 14, KFixedAt = 15;
    private const byte OStringLimited = 1, OBounded = 2, OCond = 4;
    private const byte NoArgument = 255;
    private const int PathMax = 4096;

    private readonly record struct Op(byte When, byte Kind, int Arg, int Slot, int CountArg = NoArgument, byte Flags = 0,
        int CondArg = 0, uint Bytes = 0, uint Max = 0, uint Header = 0, uint Unit = 1, int Bias = 0, ulong CondMask = 0, ulong CondValue = 0);

    /// <summary>The table for x86_64, with the filter's selection; <paramref name="full"/>[nr] is
    /// false for calls some of whose memory the kernel side does not capture.
    /// <paramref name="conditional"/>: the `condops` entries (key, value) for multiplexed calls
    /// with more ops than a plan holds (ioctl's commands), keyed by the selector's value.</summary>
    public static byte[][] Build(SyscallFilter filter, out bool[] full, out List<(byte[] Key, byte[] Value)> conditional)
    {
        SyscallTable table = SyscallTable.For(SyscallArchitecture.X86_64);
        var plans = new byte[MaxSyscalls][];
        full = new bool[MaxSyscalls];
        conditional = new List<(byte[], byte[])>();
        for (int nr = 0; nr < MaxSyscalls; nr++)
        {
            byte[] plan = new byte[PlanSize];
            plans[nr] = plan;
            if (!filter.Selects(SyscallArchitecture.X86_64, nr))
                continue;
            plan[0] = 1;
            full[nr] = Lay(nr, table.GetSignature(nr), plan, conditional);
        }
        return plans;
    }

    /// <summary>Writes a call's plan (and its condops entries); false when not everything fits.</summary>
    private static bool Lay(int nr, SyscallSignature sig, byte[] plan, List<(byte[] Key, byte[] Value)> conditional)
    {
        var ops = new List<Op>();
        var cond = new List<Op>();
        bool full = Compile(sig, ops, cond);
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
        SyscallTable table = SyscallTable.For(SyscallArchitecture.X86_64);
        var result = new bool[MaxSyscalls];
        for (int nr = 0; nr < MaxSyscalls && nr < table.Count; nr++)
        {
            SyscallSignature sig = table.GetSignature(nr);
            result[nr] = sig.Printer is null && sig.ReturnKind == ReturnKind.Fd && sig.Codecs is { } codecs
                && codecs.Any(c => c is not null && c.GetType().GetMethod(nameof(ArgCodec.ResultIsNotDescriptor))!.DeclaringType != typeof(ArgCodec));
        }
        return result;
    }

    /// <summary>True when every capture the ptrace backend makes for this call is made by the kernel side.</summary>
    public static bool IsFullyCaptured(int number)
        => Lay(number, SyscallTable.For(SyscallArchitecture.X86_64).GetSignature(number), new byte[PlanSize], new List<(byte[], byte[])>());

    private static bool Compile(SyscallSignature sig, List<Op> ops, List<Op> cond)
    {
        ArgKind[]? kinds = sig.Arguments;
        if (kinds is null)
            return true;
        bool full = true;
        for (int i = 0; i < kinds.Length && i < 6; i++)
        {
            switch (kinds[i])
            {
                case ArgKind.Fd:
                    ops.Add(new Op(WEntry, KFdLink, i, CaptureSlot.FdLink(i)));
                    break;
                case ArgKind.DirFd:
                    ops.Add(new Op(WEntry, KDirFdLink, i, CaptureSlot.FdLink(i)));
                    break;
                case ArgKind.Path:
                    ops.Add(new Op(WEntry, KCString, i, CaptureSlot.Entry(i), Max: PathMax - 1));
                    break;
                case ArgKind.String:
                    ops.Add(new Op(WEntry, KCString, i, CaptureSlot.Entry(i)));
                    break;
                case ArgKind.SockoptValIn:
                    ops.Add(new Op(WEntry, KArgCount, i, CaptureSlot.Entry(i), CountArg: i + 1, Bytes: 1, Max: 256));
                    break;
                case ArgKind.TimevalLeft:
                case ArgKind.TimespecLeft:
                    ops.Add(new Op(WEntry, KFixed, i, CaptureSlot.Entry(i), Bytes: 16));
                    ops.Add(new Op(WExitPos, KFixed, i, CaptureSlot.Exit(i), Bytes: 16));
                    break;
                case ArgKind.SockoptValOut:
                    ops.Add(new Op(WExit, KPointee, i, CaptureSlot.Exit(i), CountArg: i + 1, Bytes: 1, Max: 256));
                    break;
                case ArgKind.PipeFds:
                    ops.Add(new Op(WExit, KPipeFds, i, CaptureSlot.Exit(i)));
                    break;
                case ArgKind.CloneFlags:
                    ops.Add(new Op(WExit, KFixed, 2, CaptureSlot.Exit(2), Bytes: 4, Flags: OCond, CondArg: 0, CondMask: 0x00100000, CondValue: 0x00100000));
                    break;
                case ArgKind.CloneArgs:
                    ops.Add(new Op(WEntry, KArgCount, i, CaptureSlot.Entry(i), CountArg: i + 1, Bytes: 1, Max: 88));
                    full = false; // the parent tid written through clone_args.parent_tid is not followed
                    break;
                case ArgKind.ArchPrctlCode:
                    ops.Add(new Op(WExit, KFixed, 1, CaptureSlot.Exit(1), Bytes: 8, Flags: OCond, CondArg: 0, CondMask: ulong.MaxValue, CondValue: 0x1003));
                    ops.Add(new Op(WExit, KFixed, 1, CaptureSlot.Exit(1), Bytes: 8, Flags: OCond, CondArg: 0, CondMask: ulong.MaxValue, CondValue: 0x1004));
                    break;
                case ArgKind.PollFds:
                    ops.Add(new Op(WEntry, KArgCount, i, CaptureSlot.Entry(i), CountArg: i + 1, Bytes: 8, Max: 4096));
                    ops.Add(new Op(WExitPos, KArgCount, i, CaptureSlot.Exit(i), CountArg: i + 1, Bytes: 8, Max: 4096));
                    full = false; // the descriptors inside the array are not annotated
                    break;
                case ArgKind.Codec:
                    if (sig.Codecs?[i] is { } codec)
                        full &= FromPlan(codec.Plan, i, ops);
                    break;
                case ArgKind.Argv:
                    ops.Add(new Op(WEntry, KArgv, i, CaptureSlot.Entry(i)));
                    break;
                case ArgKind.Envp:
                    ops.Add(new Op(WEntry, KEnvp, i, CaptureSlot.Entry(i)));
                    break;
                case ArgKind.DirentsOut:
                    ops.Add(new Op(WExitPos, KDirents, i, CaptureSlot.Exit(i)));
                    break;
                case ArgKind.RtSigreturn:
                    // rt_sigframe's uc_sigmask, 296 bytes above the stack pointer at entry (as ArgumentCapture reads it)
                    ops.Add(new Op(WEntry, KStack, i, CaptureSlot.Entry(i), Bytes: 8, Header: 296));
                    break;
                case ArgKind.IovecIn:
                    ops.Add(new Op(WEntry, KIovec, i, CaptureSlot.Entry(i), CountArg: i + 1));
                    break;
                case ArgKind.IovecOut:
                    // a failed read still shows its array (the buffers as addresses)
                    ops.Add(new Op(WExitAny, KIovec, i, CaptureSlot.Exit(i), CountArg: i + 1));
                    break;
                case ArgKind.MsghdrIn:
                    // Full but for SCM_RIGHTS: the descriptors a message carries are not annotated.
                    ops.Add(new Op(WEntry, KMsghdr, i, CaptureSlot.Entry(i)));
                    break;
                case ArgKind.MsghdrOut:
                    ops.Add(new Op(WEntry, KFixedAt, i, CaptureSlot.Entry(i), Bytes: 4, Header: 8)); // msg_namelen as given
                    ops.Add(new Op(WExit, KMsghdr, i, CaptureSlot.Exit(i)));
                    break;
                case ArgKind.FdSet:
                    // the set, in whole longs as the kernel reads it; the descriptors in it are not annotated
                    ops.Add(new Op(WEntry, KArgCount, i, CaptureSlot.Entry(i), CountArg: 0, Bytes: 8, Unit: 64, Max: 1024));
                    ops.Add(new Op(WExitPos, KArgCount, i, CaptureSlot.Exit(i), CountArg: 0, Bytes: 8, Unit: 64, Max: 1024));
                    full = false;
                    break;
                case ArgKind.MmsghdrIn:
                case ArgKind.MmsghdrOut:
                case ArgKind.PselectSigmask:
                    full = false;
                    break;
            }
        }
        if (sig.Printer is FcntlPrinter)
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
                if (p.Nested is not null || p.FdOffsets is not null)
                    full = false;
                byte when = p.Plan.When switch
                {
                    CaptureWhen.Entry => WEntry,
                    CaptureWhen.Exit => WExit,
                    _ => 0, // ArgumentCapture takes conditional captures only at entry and at a successful exit
                };
                if (when == 0)
                    continue;
                foreach (ulong value in p.Values)
                {
                    Op? op = FromCapture(p.Plan, when, p.Target, when == WEntry ? CaptureSlot.Entry(p.Target) : CaptureSlot.Exit(p.Target), ref full);
                    if (op is { } o)
                        cond.Add(o with { Flags = (byte)(o.Flags | OCond), CondArg = p.Selector, CondMask = p.Mask, CondValue = value });
                }
            }
        }
        return full;
    }

    private static bool FromPlan(CapturePlan plan, int i, List<Op> ops)
    {
        bool full = true;
        switch (plan.When)
        {
            case CaptureWhen.Entry:
                Add(FromCapture(plan, WEntry, i, CaptureSlot.Entry(i), ref full));
                break;
            case CaptureWhen.Exit:
                Add(FromCapture(plan, WExit, i, CaptureSlot.Exit(i), ref full));
                break;
            case CaptureWhen.ExitAny:
                Add(FromCapture(plan, WExitAny, i, CaptureSlot.Exit(i), ref full));
                break;
            case CaptureWhen.EntryAndExit:
                Add(FromCapture(plan, WEntry, i, CaptureSlot.Entry(i), ref full));
                Add(FromCapture(plan, WExit, i, CaptureSlot.Exit(i), ref full));
                break;
        }
        return full;

        void Add(Op? op)
        {
            if (op is { } o)
                ops.Add(o);
        }
    }

    private static Op? FromCapture(CapturePlan plan, byte when, int arg, int slot, ref bool full)
    {
        uint max = (uint)Math.Max(0, plan.Max);
        if (max > CapturePlan.DefaultMax)
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
        return new Op(when, kind, arg, slot, countArg, flags, Bytes: (uint)Math.Max(0, plan.Bytes), Max: max,
            Header: (uint)Math.Max(0, plan.Header), Unit: (uint)Math.Max(1, plan.Unit), Bias: plan.CountBias);
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
        d[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], op.Bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], op.Max);
        BinaryPrimitives.WriteUInt32LittleEndian(d[16..], op.Header);
        BinaryPrimitives.WriteUInt32LittleEndian(d[20..], op.Unit);
        BinaryPrimitives.WriteInt32LittleEndian(d[24..], op.Bias);
        BinaryPrimitives.WriteInt32LittleEndian(d[28..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(d[32..], op.CondMask);
        BinaryPrimitives.WriteUInt64LittleEndian(d[40..], op.CondValue);
    }
}
