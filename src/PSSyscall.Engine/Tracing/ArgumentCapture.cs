using System.Runtime.CompilerServices;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Decoding.Codecs;
using System.Buffers.Binary;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The capture interpreter: copies at each stop what the call's codecs plan (CapturePlan, data) and
/// its per-syscall printer's conditional plans ask for: inputs at the entry stop, outputs at the
/// exit stop (as strace prints them), and descriptor links. Tracer
/// thread only. Buffers are reused: nothing is allocated per call except a cached descriptor link
/// the first time a descriptor is seen.
/// </summary>
internal sealed class ArgumentCapture
{
    private const int PathMax = 4096;
    private const int AtFdCwd = -100;
    private const int MaxArrayElements = 1024;
    private const int MaxArrayFdLinks = CaptureSlot.ArrayFdLinks;
    private const int MaxFdSetBytes = 1024;   // fd_set bits read: descriptors 0..8191
    private const int MaxDirentBytes = 16384; // getdents' entries shown with -v

    private readonly TraceeMemory _memory = new();
    private readonly byte[] _scratch = new byte[64 * 1024];
    private readonly byte[] _link = new byte[PathMax];
    private readonly int _stringLimit;
    private int _arrayFdLinks; // descriptors annotated inside arrays of the current stop
    private readonly ulong[] _args = new ulong[6]; // the current call's arguments as the kernel reads them

    /// <summary>The registers narrowed to each argument's C type (see <see cref="CType"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<ulong> Normalized(SyscallSignature sig, ReadOnlySpan<ulong> args)
    {
        Span<ulong> into = _args.AsSpan(0, Math.Min(args.Length, 6));
        args[..into.Length].CopyTo(into);
        sig.Normalize(into);
        return into;
    }

    public ArgumentCapture(int stringLimit) => _stringLimit = Math.Max(0, stringLimit);

    public int StringLimit => _stringLimit;

    /// <summary>strace -v: pointer arrays shown whole (execve's environment strings, not a count).</summary>
    public bool Unabbreviated { get; init; }

    /// <summary>readlink calls made for descriptor annotations (the cache's misses).</summary>
    public long LinkReads { get; private set; }

    public long VmReads => _memory.VmReads;

    public long ProcMemReads => _memory.ProcMemReads;

    // ---- entry ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Entry(int tid, FdLinkCache fds, SyscallSignature sig, ReadOnlySpan<ulong> args, ulong stackPointer, CaptureBuffer into)
    {
        if (sig.Codecs is not { } codecs)
            return;
        args = Normalized(sig, args);
        _arrayFdLinks = 0;
        for (int i = 0; i < codecs.Length && i < 6; i++)
        {
            if (codecs[i]!.EntryPlan is { When: not CaptureWhen.Never } plan)
                AddPlanned(tid, fds, plan, i, args, 0, exit: false, stackPointer, into);
        }
        if (sig.Printer is { } printer)
            AddConditional(tid, printer.Captures, CaptureWhen.Entry, args, 0, into, fds);
    }

    /// <summary>The kernel's sigset size on x86_64: strace shows a set only for this size.</summary>
    private const int SigsetSize = 8;

    // ---- exit ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Exit(int tid, FdLinkCache fds, SyscallSignature sig, ReadOnlySpan<ulong> args, long ret, CaptureBuffer into)
    {
        bool failed = ret < 0 && ret >= -4095;
        if (sig.Codecs is not { } codecs)
            return;
        args = Normalized(sig, args);
        _arrayFdLinks = 0;
        if (!failed && sig.ReturnsDescriptor(args))
            AddFdLink(tid, fds, (int)ret, CaptureSlot.ReturnFdLink, into);
        for (int i = 0; i < codecs.Length && i < 6; i++)
        {
            if (codecs[i]!.ExitPlan is { When: not CaptureWhen.Never } plan
                && (!failed || plan.When == CaptureWhen.ExitAny) && (!plan.PositiveResult || ret > 0))
                AddPlanned(tid, fds, plan, i, args, ret, exit: true, 0, into);
        }
        if (!failed && sig.Printer is { } printer)
            AddConditional(tid, printer.Captures, CaptureWhen.Exit, args, ret, into);
    }

    /// <summary>Keeps the descriptor-link cache in step with what a call changed. Runs at every exit
    /// stop, reported or not, before <see cref="Exit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Follow(int tid, FdLinkCache fds, SyscallSignature sig, ReadOnlySpan<ulong> args, long ret)
    {
        if (ret < 0 && ret >= -4095)
            return;
        args = Normalized(sig, args);
        switch (sig.Effect)
        {
            case FdEffect.Close:
                fds.Remove((int)args[0]);
                break;
            case FdEffect.CloseRange:
                fds.Clear();
                break;
            case FdEffect.DupToArg1:
                fds.Remove((int)args[1]);
                break;
            case FdEffect.ChangeDirectory:
                fds.ForgetCwd();
                break;
            case FdEffect.RenamesPaths:
                FdLinkCache.InvalidateAll();
                break;
        }
        if (sig.ReturnsDescriptor(args))
            fds.Remove((int)ret);
    }

    /// <summary>The capture interpreter: copies what a codec's plan asks for argument <paramref name="i"/>
    /// (see <see cref="CapturePlan"/> and <see cref="CaptureShape"/>) into its entry or exit slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddPlanned(int tid, FdLinkCache fds, CapturePlan plan, int i, ReadOnlySpan<ulong> args, long ret, bool exit, ulong stackPointer, CaptureBuffer into)
    {
        ulong v = args[i];
        int slot = exit ? CaptureSlot.Exit(i) : CaptureSlot.Entry(i);
        bool failed = ret < 0 && ret >= -4095;
        switch (plan.Shape)
        {
            case CaptureShape.Memory:
                AddPlanned(tid, plan, v + (ulong)plan.Offset, args, ret, slot, into);
                break;
            case CaptureShape.FdLink:
                AddFdLink(tid, fds, (int)v, CaptureSlot.FdLink(i), into);
                break;
            case CaptureShape.DirFdLink:
                if ((int)v == AtFdCwd)
                    AddCwdLink(tid, fds, CaptureSlot.FdLink(i), into);
                else
                    AddFdLink(tid, fds, (int)v, CaptureSlot.FdLink(i), into);
                break;
            case CaptureShape.FdPair:
                if (AddBytes(tid, v, 8, slot, into) == 8)
                {
                    ReadOnlySpan<byte> pair = into.Data.AsSpan(into.Length - 8, 8);
                    int fd0 = BinaryPrimitives.ReadInt32LittleEndian(pair);
                    int fd1 = BinaryPrimitives.ReadInt32LittleEndian(pair[4..]);
                    fds.Remove(fd0); // new descriptors: never from the cache
                    fds.Remove(fd1);
                    AddFdLink(tid, fds, fd0, CaptureSlot.PairFdLink0, into);
                    AddFdLink(tid, fds, fd1, CaptureSlot.PairFdLink1, into);
                }
                break;
            case CaptureShape.PollFds:
                int got = AddBytes(tid, v, plan.LengthFor(args, ret, _stringLimit), slot, into);
                if (got > 0 && !exit)
                {
                    // The descriptors inside the array are annotated too (strace -y does).
                    int start = into.Length - got;
                    for (int k = 0; k < got / 8 && k < Math.Min(_stringLimit, 64); k++)
                        AddFdLink(tid, fds, BinaryPrimitives.ReadInt32LittleEndian(into.Data.AsSpan(start + k * 8)), CaptureSlot.ArrayFdLink(k), into);
                }
                break;
            case CaptureShape.FdSet:
                if (AddFdSet(tid, v, args[plan.Argument], slot, into, plan.Compat is not null) is int setBytes and > 0 && !exit)
                    AddFdSetLinks(tid, fds, into.Length - setBytes, setBytes, args[plan.Argument], into);
                break;
            case CaptureShape.Iovec:
                // At exit, the data up to the result; a failed read still shows its iovec array, the
                // buffers as addresses (dataLimit -1).
                AddIovec(tid, v, args[plan.Argument], !exit ? long.MaxValue : failed ? -1 : ret, slot, into, plan.Compat is not null);
                break;
            case CaptureShape.Msghdr:
                AddMsghdr(tid, fds, v, exit ? ret : long.MaxValue, received: exit, slot, into, plan.Compat is not null);
                break;
            case CaptureShape.Mmsghdrs:
                AddMmsghdrs(tid, v, plan.LengthFor(args, ret, _stringLimit) / plan.Bytes, received: exit, slot, into, plan.Compat is not null);
                break;
            case CaptureShape.StringArray:
                AddArgv(tid, v, slot, into, plan.Compat is not null ? 4 : 8);
                break;
            case CaptureShape.PointerCount:
                if (Unabbreviated)
                    AddArgv(tid, v, slot, into, plan.Compat is not null ? 4 : 8); // the strings themselves, as argv
                else
                    AddPointerCount(tid, v, slot, into, plan.Compat is not null ? 4 : 8);
                break;
            case CaptureShape.DirentCount:
                if (Unabbreviated)
                    AddBytes(tid, v, (int)Math.Min(ret, MaxDirentBytes), slot, into); // -v: the entries themselves
                else
                    AddDirentCount(tid, v, ret, slot, into, plan.Compat is not null ? 8 : 16);
                break;
            case CaptureShape.SignalFrameMask when plan.Offset != 0:
                // i386's old sigreturn: the stack pointer is at the frame's sigcontext (88 bytes,
                // oldmask at Offset: the mask's low word), then the unused 624-byte _fpstate_32,
                // then extramask[0] (the high word) into Extra.
                AddBytes(tid, stackPointer + (ulong)plan.Offset, 4, slot, into);
                AddBytes(tid, stackPointer + 88 + 624, 4, CaptureSlot.Extra, into);
                break;
            case CaptureShape.SignalFrameMask:
                // rt_sigframe: the return address was popped; uc_sigmask sits 296 bytes above
                // the stack pointer (ucontext: flags, link, stack_t, sigcontext, then the mask).
                // i386's rt_sigframe (after pretcode): sig, pinfo, puc, siginfo (128), then the
                // ucontext (flags, link, stack_t 12, sigcontext 88): the mask 248 bytes up.
                AddBytes(tid, stackPointer + (plan.Compat is not null ? 248UL : 296UL), plan.Bytes, slot, into);
                break;
            case CaptureShape.SigsetPointer when plan.Compat is not null:
                // i386: { u32 ss; u32 ss_len; }, kept as x86_64's pair.
                if (AddWidened(tid, PselectPair, v, 16, slot, into) == 16)
                {
                    ReadOnlySpan<byte> pair = into.Data.AsSpan(into.Length - 16, 16);
                    ulong set = BinaryPrimitives.ReadUInt64LittleEndian(pair);
                    if (set != 0 && BinaryPrimitives.ReadUInt64LittleEndian(pair[8..]) == SigsetSize)
                        AddBytes(tid, set, SigsetSize, CaptureSlot.Extra, into);
                }
                break;
            case CaptureShape.SigsetPointer:
                // { const sigset_t *ss; size_t ss_len; }: the set itself goes in Extra.
                if (AddBytes(tid, v, 16, slot, into) == 16)
                {
                    ReadOnlySpan<byte> pair = into.Data.AsSpan(into.Length - 16, 16);
                    ulong set = BinaryPrimitives.ReadUInt64LittleEndian(pair);
                    if (set != 0 && BinaryPrimitives.ReadUInt64LittleEndian(pair[8..]) == SigsetSize)
                        AddBytes(tid, set, SigsetSize, CaptureSlot.Extra, into);
                }
                break;
            case CaptureShape.CloneArgs:
                AddPlanned(tid, plan, v, args, ret, slot, into);
                // i386: the struct user_desc that tls (at 56) points to, with CLONE_SETTLS (0x80000).
                if (plan.Compat is not null && into.Length > 0 && args[plan.Argument] >= 64)
                {
                    Span<byte> head = _scratch.AsSpan(0, 64);
                    if (_memory.Read(tid, v, head) == 64 && (BinaryPrimitives.ReadUInt64LittleEndian(head) & 0x80000) != 0)
                        AddBytes(tid, BinaryPrimitives.ReadUInt64LittleEndian(head[56..]), 16, CaptureSlot.Extra, into);
                }
                break;
            case CaptureShape.CloneParentTid:
                // struct clone_args: flags at 0, parent_tid at 24; written with CLONE_PARENT_SETTID.
                if (args[plan.Argument] >= 32)
                {
                    Span<byte> head = _scratch.AsSpan(0, 32);
                    if (_memory.Read(tid, v, head) == 32 && (BinaryPrimitives.ReadUInt64LittleEndian(head) & 0x00100000) != 0)
                        AddBytes(tid, BinaryPrimitives.ReadUInt64LittleEndian(head[24..]), plan.Bytes, slot, into);
                }
                break;
        }
    }

    /// <summary>The capture interpreter: copies what a codec's plan asks for (see <see cref="CapturePlan"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddPlanned(int tid, CapturePlan plan, ulong addr, ReadOnlySpan<ulong> args, long ret, int slot, CaptureBuffer into)
    {
        int pointee = plan.Length == CaptureLength.ArgumentPointee ? ReadInt(tid, args[plan.Argument]) : 0;
        int n = plan.LengthFor(args, ret, _stringLimit, pointee);
        if (plan.Compat is { } layout && layout != CompatLayout.Ilp32 && plan.Length != CaptureLength.CString)
            AddWidened(tid, layout, addr, n, slot, into); // an i386 structure, kept in the native layout
        else if (plan.Length == CaptureLength.CString && plan.Bounded)
            AddBoundedString(tid, addr, n, slot, into);
        else if (plan.Length == CaptureLength.CString)
            AddString(tid, addr, n, slot, into);
        else
            AddBytes(tid, addr, n, slot, into);
    }

    /// <summary>The captures of a per-syscall printer that apply to these arguments at this stop.</summary>
    private void AddConditional(int tid, PSSyscall.Engine.Decoding.Printers.ConditionalPlan[] plans, CaptureWhen when, ReadOnlySpan<ulong> args, long ret, CaptureBuffer into, FdLinkCache? fds = null)
    {
        foreach (var p in plans)
        {
            if (p.Plan.When != when || !p.AppliesTo(args))
                continue;
            int slot = when == CaptureWhen.Entry ? CaptureSlot.Entry(p.Target) : CaptureSlot.Exit(p.Target);
            int before = into.Length;
            AddPlanned(tid, p.Plan, args[p.Target], args, ret, slot, into);
            if (p.FdOffsets is { } offsets && fds is not null && into.Length > before)
            {
                // Descriptors inside the captured structure: their links, by the offset's index. A
                // field past the bytes given reads as 0 (bpf zero-pads its attr, and so does strace).
                int start = before + CaptureBuffer.HeaderSize, got = into.Length - start;
                for (int k = 0; k < offsets.Length && k < MaxArrayFdLinks; k++)
                {
                    int fd = offsets[k] + 4 <= got ? BinaryPrimitives.ReadInt32LittleEndian(into.Data.AsSpan(start + offsets[k])) : 0;
                    AddFdLink(tid, fds, fd, CaptureSlot.ArrayFdLink(k), into);
                }
            }
            if (p.Nested is { } nested && into.Length > before)
                AddNested(tid, nested, before, into, fds);
        }
    }

    /// <summary>The arrays a structure captured at <paramref name="before"/> points to.</summary>
    private void AddNested(int tid, PSSyscall.Engine.Decoding.Printers.NestedArray[] nested, int before, CaptureBuffer into, FdLinkCache? fds)
    {
        int start = before + CaptureBuffer.HeaderSize, got = into.Length - start;
        foreach (var a in nested)
        {
            if (a.PointerOffset + 8 > got || a.CountOffset + 4 > got)
                continue;
            ulong ptr = BinaryPrimitives.ReadUInt64LittleEndian(into.Data.AsSpan(start + a.PointerOffset));
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(into.Data.AsSpan(start + a.CountOffset));
            int n = AddBytes(tid, ptr, (int)Math.Min(count, (uint)_stringLimit) * a.ElementSize, CaptureSlot.Nested(a.Slot), into);
            if (a.Descriptors && fds is not null && n > 0)
            {
                int at = into.Length - n;
                for (int k = 0; k < n / 4 && k < MaxArrayFdLinks; k++)
                    AddFdLink(tid, fds, BinaryPrimitives.ReadInt32LittleEndian(into.Data.AsSpan(at + k * 4)), CaptureSlot.ArrayFdLink(k), into);
            }
        }
    }

    // ---- primitives ----
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddFdLink(int tid, FdLinkCache fds, int fd, int slot, CaptureBuffer into)
    {
        if (fd < 0)
            return;
        ReadOnlySpan<byte> link = fds.Get(fd);
        if (link.IsEmpty)
        {
            LinkReads++;
            int n = _memory.ReadFdLink(tid, fd, _link);
            if (n < 0)
                return;
            fds.Set(fd, _link.AsSpan(0, n));
            link = _link.AsSpan(0, n);
        }
        // strace -yy: "LINK\0DETAILS" (StraceText.Link prints the details in place of a socket's
        // link, after a device's path).
        if (Describer is { } describer && describer.Describe(tid, fd, link, _details) is int m and > 0)
        {
            Span<byte> dest = into.Begin(link.Length + 1 + m);
            link.CopyTo(dest);
            dest[link.Length] = 0;
            _details.AsSpan(0, m).CopyTo(dest[(link.Length + 1)..]);
            into.Commit(slot, CaptureStatus.Ok, link.Length + 1 + m);
            return;
        }
        into.Add(slot, CaptureStatus.Ok, link);
    }

    /// <summary>strace -yy's socket and device details (null: -y's links only).</summary>
    public FdDescriber? Describer { get; set; }

    private readonly byte[] _details = new byte[PathMax];

    private void AddCwdLink(int tid, FdLinkCache fds, int slot, CaptureBuffer into)
    {
        ReadOnlySpan<byte> cached = fds.Cwd;
        if (!cached.IsEmpty)
        {
            into.Add(slot, CaptureStatus.Ok, cached);
            return;
        }
        LinkReads++;
        int n = _memory.ReadFdLink(tid, null, _link);
        if (n < 0)
            return;
        fds.SetCwd(_link.AsSpan(0, n));
        into.Add(slot, CaptureStatus.Ok, _link.AsSpan(0, n));
    }

    private void AddString(int tid, ulong addr, int max, int slot, CaptureBuffer into)
    {
        if (addr == 0)
            return;
        Span<byte> dest = into.Begin(max + 1);
        int n = _memory.ReadString(tid, addr, dest, max, out bool terminated);
        if (n < 0)
            into.Commit(slot, CaptureStatus.Fault, 0);
        else
            into.Commit(slot, terminated ? CaptureStatus.Ok : CaptureStatus.Truncated, Math.Min(n, max));
    }

    /// <summary>A string read in exactly <paramref name="count"/> bytes: Ok up to its NUL, or
    /// Truncated with all of them when no NUL came within.</summary>
    private void AddBoundedString(int tid, ulong addr, int count, int slot, CaptureBuffer into)
    {
        if (addr == 0 || count <= 0)
            return;
        Span<byte> dest = into.Begin(count);
        int n = _memory.ReadString(tid, addr, dest, count - 1, out bool terminated);
        if (n < 0)
            into.Commit(slot, CaptureStatus.Fault, 0);
        else
            into.Commit(slot, terminated ? CaptureStatus.Ok : CaptureStatus.Truncated, terminated ? n : count);
    }

    private int AddBytes(int tid, ulong addr, int count, int slot, CaptureBuffer into)
    {
        if (addr == 0 || count < 0)
            return -1;
        Span<byte> dest = into.Begin(count);
        int n = count == 0 ? 0 : _memory.Read(tid, addr, dest);
        if (n < 0 || (n == 0 && count > 0))
        {
            into.Commit(slot, CaptureStatus.Fault, 0);
            return -1;
        }
        into.Commit(slot, n < count ? CaptureStatus.Truncated : CaptureStatus.Ok, n);
        return n;
    }

    private static readonly CompatLayout PselectPair = CompatLayout.Of("ptr ulong");
    private static readonly CompatLayout CompatIovec = CompatLayout.Of("ptr ulong");
    private static readonly CompatLayout CompatMsghdr = CompatLayout.Of("ptr int ptr ulong ptr ulong int");

    /// <summary>An i386 structure (or array of them) read in its 32-bit layout and kept in the
    /// native one: <paramref name="nativeBytes"/> is what the codec's plan asks for. Returns the
    /// native bytes captured, or -1.</summary>
    private int AddWidened(int tid, CompatLayout layout, ulong addr, int nativeBytes, int slot, CaptureBuffer into)
    {
        if (addr == 0 || nativeBytes < 0)
            return -1;
        if (layout == CompatLayout.Siginfo)
            return AddSiginfo(tid, addr, nativeBytes, slot, into);
        int count = Math.Max(1, nativeBytes / layout.NativeSize);
        int want = Math.Min(count * layout.CompatSize, _scratch.Length);
        Span<byte> src = _scratch.AsSpan(0, want);
        int n = _memory.Read(tid, addr, src);
        if (n <= 0)
        {
            into.Commit(slot, CaptureStatus.Fault, 0);
            return -1;
        }
        int whole = n / layout.CompatSize;
        Span<byte> dest = into.Begin(whole * layout.NativeSize);
        layout.Widen(src, dest, whole);
        int kept = Math.Min(whole * layout.NativeSize, nativeBytes);
        into.Commit(slot, n < want ? CaptureStatus.Truncated : CaptureStatus.Ok, kept);
        return kept;
    }

    /// <summary>32-bit words of the tracee's memory (i386's argument arrays); false when short.</summary>
    public bool ReadWords(int tid, ulong addr, Span<uint> words)
    {
        Span<byte> b = _scratch.AsSpan(0, words.Length * 4);
        if (addr == 0 || _memory.Read(tid, addr, b) != b.Length)
            return false;
        for (int k = 0; k < words.Length; k++)
            words[k] = BinaryPrimitives.ReadUInt32LittleEndian(b[(k * 4)..]);
        return true;
    }

    /// <summary>An i386 siginfo_t, widened by the member its signal and code select.</summary>
    private int AddSiginfo(int tid, ulong addr, int nativeBytes, int slot, CaptureBuffer into)
    {
        Span<byte> src = _scratch.AsSpan(0, 128);
        int n = _memory.Read(tid, addr, src);
        if (n < 128)
        {
            into.Commit(slot, CaptureStatus.Fault, 0);
            return -1;
        }
        CompatLayout layout = CompatLayout.ForSiginfo(BinaryPrimitives.ReadInt32LittleEndian(src), BinaryPrimitives.ReadInt32LittleEndian(src[8..]));
        Span<byte> dest = into.Begin(128);
        dest.Clear();
        layout.Widen(src, dest);
        int kept = Math.Min(128, nativeBytes);
        into.Commit(slot, CaptureStatus.Ok, kept);
        return kept;
    }

    private int ReadInt(int tid, ulong addr)
    {
        Span<byte> b = _scratch.AsSpan(0, 4);
        return _memory.Read(tid, addr, b) == 4 ? BinaryPrimitives.ReadInt32LittleEndian(b) : -1;
    }

    /// <summary>iovec array: [count:int32] then per element [base:u64][len:u64][status:u8][n:int32][n bytes]
    /// (status Truncated: the element holds more than the string limit shows; Fault: its data
    /// unreadable, or not shown (dataLimit -1: a read that failed)); count is ~count (negative) when
    /// the array became unreadable after that many elements. At most string-limit + 1 elements, each
    /// element's data read in at most string-limit + 1 bytes (as strace reads it: a buffer unreadable
    /// within them shows as its address), kept to string-limit bytes, and in all at most
    /// <paramref name="dataLimit"/> bytes (the return value, for reads).</summary>
    private void AddIovec(int tid, ulong addr, ulong count, long dataLimit, int slot, CaptureBuffer into, bool compat = false)
    {
        if (addr == 0)
            return;
        int elements = (int)Math.Min(count, (ulong)Math.Min(_stringLimit + 1, MaxArrayElements));
        Span<byte> iov = _scratch.AsSpan(0, elements * 16);
        int got;
        if (compat)
        {
            // i386's struct iovec (two 4-byte words), widened in place from the scratch's second half.
            Span<byte> narrow = _scratch.AsSpan(elements * 16, elements * 8);
            int n = elements == 0 ? 0 : _memory.Read(tid, addr, narrow);
            got = Math.Max(0, n) / 8 * 16;
            if (n > 0)
                CompatIovec.Widen(narrow, iov, n / 8);
            else if (elements > 0)
                got = n;
        }
        else
        {
            got = elements == 0 ? 0 : _memory.Read(tid, addr, iov);
        }
        if (elements > 0 && got < 16)
        {
            into.Commit(slot, CaptureStatus.Fault, 0);
            return;
        }
        int readable = got / 16;
        int start = into.Length;
        into.Begin(4);
        into.Length += CaptureBuffer.HeaderSize + 4;
        long left = dataLimit;
        bool noData = dataLimit < 0;
        for (int e = 0; e < readable; e++)
        {
            ulong b = BinaryPrimitives.ReadUInt64LittleEndian(iov[(e * 16)..]);
            ulong l = BinaryPrimitives.ReadUInt64LittleEndian(iov[(e * 16 + 8)..]);
            long take = noData ? 0 : (long)Math.Min(l, (ulong)Math.Max(0, left));
            left -= take;
            int want = (int)Math.Min(take, _stringLimit + 1L);
            into.Begin(21 + want); // makes room; elements are written raw (no slot header) at Length
            Span<byte> raw = into.Data.AsSpan(into.Length, 21 + want);
            BinaryPrimitives.WriteUInt64LittleEndian(raw, b);
            BinaryPrimitives.WriteUInt64LittleEndian(raw[8..], l);
            int n = want == 0 ? 0 : _memory.Read(tid, b, raw.Slice(21, want));
            bool fault = noData || n < want;
            int keep = fault ? 0 : Math.Min(n, _stringLimit);
            raw[16] = (byte)(fault ? CaptureStatus.Fault : take > _stringLimit ? CaptureStatus.Truncated : CaptureStatus.Ok);
            BinaryPrimitives.WriteInt32LittleEndian(raw[17..], keep);
            into.Length += 21 + keep;
        }
        elements = readable < elements ? ~readable : readable;
        int total = into.Length - start - CaptureBuffer.HeaderSize;
        into.Data[start] = (byte)slot;
        into.Data[start + 1] = (byte)CaptureStatus.Ok;
        into.Data[start + 2] = 0;
        into.Data[start + 3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(into.Data.AsSpan(start + 4), total);
        BinaryPrimitives.WriteInt32LittleEndian(into.Data.AsSpan(start + CaptureBuffer.HeaderSize), elements);
    }

    /// <summary>msghdr: the header (<see cref="MessageHeader"/>) in slot, the name in Extra, the iovec in Extra+1, the
    /// control messages in ControlData, and the links of SCM_RIGHTS descriptors as array links
    /// (<paramref name="received"/>: new descriptors in the tracee, so never from the cache).</summary>
    private void AddMsghdr(int tid, FdLinkCache fds, ulong addr, long dataLimit, bool received, int slot, CaptureBuffer into, bool compat = false)
    {
        if ((compat ? AddWidened(tid, CompatMsghdr, addr, MessageHeader.Size, slot, into) : AddBytes(tid, addr, MessageHeader.Size, slot, into)) != MessageHeader.Size)
            return;
        var h = new MessageHeader(into.Data.AsSpan(into.Length - MessageHeader.Size, MessageHeader.Size));
        if (h.Name != 0 && h.NameLength > 0)
            AddBytes(tid, h.Name, Math.Min(h.NameLength, 128), CaptureSlot.Extra, into);
        AddIovec(tid, h.Iov, h.IovLength, dataLimit, CaptureSlot.Extra + 1, into, compat);
        // Control messages stay in the tracee's layout (i386: a 12-byte cmsghdr, aligned to 4).
        if (h.Control != 0 && h.ControlLength >= (compat ? 12UL : ControlHeader))
        {
            int got = AddBytes(tid, h.Control, (int)Math.Min(h.ControlLength, MaxControlBytes), CaptureSlot.ControlData, into);
            if (got > 0)
                AddRightsLinks(tid, fds, into.Length - got, got, received, into, compat);
        }
    }

    /// <summary>struct mmsghdr array (sendmmsg, recvmmsg): the headers with their msg_len in slot,
    /// each element's name and iovec in its own slots (<see cref="CaptureSlot.MessageName"/>),
    /// its data up to the element's msg_len when <paramref name="received"/> (recvmmsg). Control
    /// messages are not followed (shown as addresses).</summary>
    private static readonly CompatLayout CompatMmsghdr = CompatLayout.Of("ptr int ptr ulong ptr ulong int uint");

    private void AddMmsghdrs(int tid, ulong addr, int count, bool received, int slot, CaptureBuffer into, bool compat = false)
    {
        count = Math.Clamp(count, 0, CaptureSlot.MaxMessages);
        int got = compat ? AddWidened(tid, CompatMmsghdr, addr, count * MmsgSize, slot, into) : AddBytes(tid, addr, count * MmsgSize, slot, into);
        if (got <= 0)
            return;
        int start = into.Length - got;
        for (int k = 0; k < got / MmsgSize; k++)
        {
            var h = new MessageHeader(into.Data.AsSpan(start + k * MmsgSize, MessageHeader.Size));
            long dataLimit = received ? BinaryPrimitives.ReadUInt32LittleEndian(into.Data.AsSpan(start + k * MmsgSize + MessageHeader.Size)) : long.MaxValue;
            if (h.Name != 0 && h.NameLength > 0)
                AddBytes(tid, h.Name, Math.Min(h.NameLength, 128), CaptureSlot.MessageName(k), into);
            AddIovec(tid, h.Iov, h.IovLength, dataLimit, CaptureSlot.MessageIovec(k), into, compat);
        }
    }

    private const int MmsgSize = MmsghdrCodec.Size;

    private const int ControlHeader = 16;     // struct cmsghdr: len (u64), level, type
    private const int MaxControlBytes = 4096;

    /// <summary>Annotations for the descriptors that SCM_RIGHTS messages carry, in message order.</summary>
    private void AddRightsLinks(int tid, FdLinkCache fds, int start, int length, bool received, CaptureBuffer into, bool compat = false)
    {
        int off = 0;
        int hs = compat ? 12 : ControlHeader;
        long align = compat ? 3 : 7;
        while (off + hs <= length)
        {
            ReadOnlySpan<byte> m = into.Data.AsSpan(start + off, length - off);
            long len = compat ? BinaryPrimitives.ReadUInt32LittleEndian(m) : (long)BinaryPrimitives.ReadUInt64LittleEndian(m);
            if (len < hs)
                break;
            if (BinaryPrimitives.ReadInt32LittleEndian(m[(hs - 8)..]) == 1 /* SOL_SOCKET */ && BinaryPrimitives.ReadInt32LittleEndian(m[(hs - 4)..]) == 1 /* SCM_RIGHTS */)
            {
                int count = (int)(Math.Min(len, length - off) - hs) / 4;
                for (int k = 0; k < count && _arrayFdLinks < MaxArrayFdLinks; k++)
                {
                    int fd = BinaryPrimitives.ReadInt32LittleEndian(into.Data.AsSpan(start + off + hs + k * 4));
                    if (received)
                        fds.Remove(fd);
                    AddFdLink(tid, fds, fd, CaptureSlot.ArrayFdLink(_arrayFdLinks++), into);
                }
            }
            off += (int)Math.Min((len + align) & ~align, int.MaxValue);
        }
    }

    /// <summary>An fd_set of <paramref name="nfds"/> bits, in whole longs as the kernel reads it.
    /// Returns the bytes captured, or -1.</summary>
    private int AddFdSet(int tid, ulong addr, ulong nfds, int slot, CaptureBuffer into, bool compat = false)
    {
        int n = (int)Math.Min(nfds, 1UL << 20);
        if (addr == 0 || n <= 0)
            return -1;
        // In whole longs: 4 bytes on i386 (the same bits, little-endian).
        return AddBytes(tid, addr, Math.Min(compat ? (n + 31) / 32 * 4 : (n + 63) / 64 * 8, MaxFdSetBytes), slot, into);
    }

    /// <summary>Annotations for the descriptors in an fd_set, numbered on from earlier sets of the call.</summary>
    private void AddFdSetLinks(int tid, FdLinkCache fds, int start, int bytes, ulong nfds, CaptureBuffer into)
    {
        int bits = (int)Math.Min(nfds, (ulong)bytes * 8);
        for (int fd = 0; fd < bits && _arrayFdLinks < MaxArrayFdLinks; fd++)
        {
            if ((into.Data[start + fd / 8] & (1 << (fd % 8))) == 0)
                continue;
            AddFdLink(tid, fds, fd, CaptureSlot.ArrayFdLink(_arrayFdLinks++), into);
        }
    }

    /// <summary>argv: [count:int32][more:int32] then per string [status:u8][n:int32][n bytes].</summary>
    private void AddArgv(int tid, ulong addr, int slot, CaptureBuffer into, int word = 8)
    {
        if (addr == 0)
            return;
        int maxElements = Math.Min(_stringLimit + 1, MaxArrayElements);
        Span<byte> ptrs = _scratch.AsSpan(0, maxElements * word);
        int got = _memory.Read(tid, addr, ptrs);
        if (got < word)
        {
            into.Commit(slot, CaptureStatus.Fault, 0);
            return;
        }
        int start = into.Length;
        into.Begin(8);
        into.Length += CaptureBuffer.HeaderSize + 8;
        int count = 0;
        bool more = true;
        for (int e = 0; e < got / word; e++)
        {
            ulong p = word == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(ptrs[(e * 4)..]) : BinaryPrimitives.ReadUInt64LittleEndian(ptrs[(e * 8)..]);
            if (p == 0)
            {
                more = false;
                break;
            }
            if (count == _stringLimit)
                break; // strace shows at most string-limit elements, then "..."
            into.Begin(5 + _stringLimit + 1);
            Span<byte> raw = into.Data.AsSpan(into.Length, 5 + _stringLimit + 1);
            int n = _memory.ReadString(tid, p, raw[5..], _stringLimit, out bool terminated);
            raw[0] = (byte)(n < 0 ? CaptureStatus.Fault : terminated ? CaptureStatus.Ok : CaptureStatus.Truncated);
            int keep = n < 0 ? 0 : Math.Min(n, _stringLimit);
            BinaryPrimitives.WriteInt32LittleEndian(raw[1..], keep);
            into.Length += 5 + keep;
            count++;
        }
        if (more && got / word < maxElements && count < _stringLimit)
            more = false; // array unreadable past this point: show what we have
        int total = into.Length - start - CaptureBuffer.HeaderSize;
        into.Data[start] = (byte)slot;
        into.Data[start + 1] = 0;
        into.Data[start + 2] = 0;
        into.Data[start + 3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(into.Data.AsSpan(start + 4), total);
        BinaryPrimitives.WriteInt32LittleEndian(into.Data.AsSpan(start + CaptureBuffer.HeaderSize), count);
        BinaryPrimitives.WriteInt32LittleEndian(into.Data.AsSpan(start + CaptureBuffer.HeaderSize + 4), more ? 1 : 0);
    }

    /// <summary>The number of entries of a NULL-terminated pointer array (envp: "/* 43 vars */").</summary>
    private void AddPointerCount(int tid, ulong addr, int slot, CaptureBuffer into, int word = 8)
    {
        if (addr == 0)
            return;
        long count = 0;
        ulong at = addr;
        while (count < 1 << 20)
        {
            Span<byte> chunk = _scratch.AsSpan(0, 4096);
            int n = _memory.Read(tid, at, chunk);
            if (n < word)
            {
                into.Commit(slot, CaptureStatus.Fault, 0);
                return;
            }
            for (int e = 0; e < n / word; e++)
            {
                if ((word == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(chunk[(e * 4)..]) : BinaryPrimitives.ReadUInt64LittleEndian(chunk[(e * 8)..])) == 0)
                {
                    into.AddInt(slot, count);
                    return;
                }
                count++;
            }
            at += (ulong)(n / word * word);
        }
        into.AddInt(slot, count);
    }

    /// <summary>getdents/getdents64 output: only the entry count (strace's non-verbose form).</summary>
    private void AddDirentCount(int tid, ulong addr, long size, int slot, CaptureBuffer into, int reclenAt = 16)
    {
        int len = (int)Math.Min(size, _scratch.Length);
        Span<byte> buf = _scratch.AsSpan(0, len);
        if (_memory.Read(tid, addr, buf) != len)
            return;
        long count = 0;
        int off = 0;
        while (off + reclenAt + 2 < len)
        {
            int reclen = BinaryPrimitives.ReadUInt16LittleEndian(buf[(off + reclenAt)..]);
            if (reclen == 0)
                break;
            count++;
            off += reclen;
        }
        into.AddInt(slot, count);
    }
}
