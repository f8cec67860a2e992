namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>When an argument's memory is copied from the tracee.</summary>
public enum CaptureWhen : byte
{
    /// <summary>Nothing to copy: the register says it all (numbers, flags, enums).</summary>
    Never,
    /// <summary>At the entry stop: what the call reads.</summary>
    Entry,
    /// <summary>At the exit stop, when the call succeeded: what the call wrote.</summary>
    Exit,
    /// <summary>At the exit stop whatever the result (nanosleep's remaining time is written on EINTR).</summary>
    ExitAny,
    /// <summary>At entry (what the call was given) and again at a successful exit (what it wrote
    /// back): structures the kernel updates in place, shown as "in => out".</summary>
    EntryAndExit,
}

/// <summary>How many bytes to copy.</summary>
public enum CaptureLength : byte
{
    /// <summary><see cref="CapturePlan.Bytes"/> bytes.</summary>
    Fixed,
    /// <summary>The value of argument <see cref="CapturePlan.Argument"/> times <see cref="CapturePlan.Bytes"/>.</summary>
    ArgumentCount,
    /// <summary>The return value times <see cref="CapturePlan.Bytes"/>.</summary>
    ReturnCount,
    /// <summary>A NUL-terminated string of at most the string limit (or <see cref="CapturePlan.Max"/> when set).</summary>
    CString,
    /// <summary>The int that argument <see cref="CapturePlan.Argument"/> points to, read at the
    /// same stop (a socklen_t the kernel wrote back), times <see cref="CapturePlan.Bytes"/>.</summary>
    ArgumentPointee,
}

/// <summary>What shape of memory a plan copies: plain bytes (<see cref="Memory"/>, sized by
/// <see cref="CaptureLength"/>), or one of the structures the interpreter knows how to walk (each a
/// concept a backend implements once: an eBPF backend compiles the same list).</summary>
public enum CaptureShape : byte
{
    /// <summary>Bytes or a C string at the argument's address (+ <see cref="CapturePlan.Offset"/>).</summary>
    Memory,
    /// <summary>The register is a descriptor: what it refers to, into <c>FdLink(i)</c>.</summary>
    FdLink,
    /// <summary>The register is a directory descriptor: AT_FDCWD's link is the working directory.</summary>
    DirFdLink,
    /// <summary>int[2] of new descriptors (pipe, socketpair): the pair, and both links.</summary>
    FdPair,
    /// <summary>struct pollfd[count]: the array, and at entry the links of its descriptors.</summary>
    PollFds,
    /// <summary>An fd_set of argument 0's bits (whole longs); at entry the links of its descriptors.</summary>
    FdSet,
    /// <summary>struct iovec[count]: each element's base, length and data (at exit: up to the result).</summary>
    Iovec,
    /// <summary>struct msghdr: the header, its name, iovec and control messages (SCM_RIGHTS links).</summary>
    Msghdr,
    /// <summary>struct mmsghdr[count] (count: the argument at entry, the result at exit) with each
    /// element's name and iovec.</summary>
    Mmsghdrs,
    /// <summary>A NULL-terminated array of strings (argv): at most string-limit of them.</summary>
    StringArray,
    /// <summary>A NULL-terminated array of pointers: only how many (envp's "/* 43 vars */").</summary>
    PointerCount,
    /// <summary>Directory entries in the result's bytes: only how many.</summary>
    DirentCount,
    /// <summary>The signal mask saved in the rt_sigframe at the stack pointer (rt_sigreturn).</summary>
    SignalFrameMask,
    /// <summary>pselect6's {const sigset_t *ss; size_t ss_len}: the pair, and the set it points to.</summary>
    SigsetPointer,
    /// <summary>clone3's parent_tid, written at exit where struct clone_args asks for it.</summary>
    CloneParentTid,
    /// <summary>clone3's struct clone_args, sized by the argument (as <see cref="Memory"/>); on i386
    /// also the struct user_desc its tls points to (with CLONE_SETTLS), into Extra.</summary>
    CloneArgs,
}

/// <summary>
/// What a codec needs copied from the tracee for one argument, as plain data: the ptrace backend
/// interprets it over the tracee's memory (Tracing/ArgumentCapture.cs), and an eBPF backend can
/// compile the same fields into its per-syscall capture table. The bytes land in the argument's
/// entry or exit slot; a NULL pointer copies nothing; an unreadable one is recorded as a fault.
/// </summary>
/// <param name="When">Entry, exit (success only) or never.</param>
/// <param name="Length">Where the length comes from.</param>
/// <param name="Bytes">The fixed size, or the element size for counted lengths.</param>
/// <param name="Argument">The argument holding the count, for <see cref="CaptureLength.ArgumentCount"/>.</param>
/// <param name="Max">An upper bound on the bytes copied (0: the engine's default bound).</param>
/// <param name="Header">Bytes before the counted part (msgbuf's mtype before its text).</param>
/// <param name="Unit">For counted lengths: the count is in units of this many (rounded up), as a
/// node mask's bits come in 64-bit words and mincore's bytes per 4096-byte page.</param>
/// <param name="StringLimited">Copy no more than the string limit (buffers strace cuts with "...").</param>
/// <param name="Bounded">For <see cref="CaptureLength.CString"/>: read exactly the length's bytes, no
/// byte past them (strace's string of a given length, memfd_create's name, fsconfig's key):
/// Truncated then keeps all of them, meaning no NUL came within.</param>
/// <param name="CountBias">Added to an argument count before the units (a node mask's max-node
/// argument is one more than the bits it covers: -1).</param>
/// <param name="Shape">Plain bytes, or a structure the interpreter walks (<see cref="CaptureShape"/>).</param>
/// <param name="Offset">Added to the argument's address (msghdr's msg_namelen alone).</param>
/// <param name="PositiveResult">At exit: only when the result is above zero (a select that timed out
/// wrote nothing worth showing).</param>
/// <param name="Compat">For an i386 tracee: the structure's 32-bit layout, which the interpreter
/// reads and widens to the native one the codec prints (<see cref="CompatLayout"/>); for walked
/// shapes (iovec, argv, fd_set, msghdr...) <see cref="CompatLayout.Ilp32"/>: 4-byte words. Null: the
/// same bytes on both ABIs.</param>
public readonly record struct CapturePlan(CaptureWhen When, CaptureLength Length = CaptureLength.Fixed, int Bytes = 0, int Argument = -1, int Max = 0, int Header = 0, int Unit = 1, bool StringLimited = false, bool Bounded = false, int CountBias = 0,
    CaptureShape Shape = CaptureShape.Memory, int Offset = 0, bool PositiveResult = false, CompatLayout? Compat = null)
{
    public static readonly CapturePlan None = new(CaptureWhen.Never);

    public static CapturePlan AtEntry(int bytes) => new(CaptureWhen.Entry, CaptureLength.Fixed, bytes);

    public static CapturePlan AtExit(int bytes) => new(CaptureWhen.Exit, CaptureLength.Fixed, bytes);

    /// <summary>The most bytes any plan copies (a malicious count cannot make the tracer copy more).</summary>
    public const int DefaultMax = 4096;

    /// <summary>The bytes to copy for these registers and result, before the string-limit rule;
    /// <paramref name="pointee"/> is the int at argument <see cref="Argument"/> for
    /// <see cref="CaptureLength.ArgumentPointee"/> (the interpreter reads it).</summary>
    public int LengthFor(ReadOnlySpan<ulong> args, long ret, int stringLimit, int pointee = 0)
    {
        long n = Length switch
        {
            CaptureLength.Fixed => Bytes,
            CaptureLength.ArgumentCount => Units(Math.Max(0, (long)Math.Min(args[Argument], int.MaxValue) + CountBias)) * Bytes,
            // the result, no more than the buffer's size when argument Argument gives it (recvfrom with MSG_TRUNC)
            CaptureLength.ReturnCount => Units(Argument >= 0 ? Math.Min(Math.Max(0, ret), (long)Math.Min(args[Argument], long.MaxValue)) : Math.Max(0, ret)) * Bytes,
            CaptureLength.CString => Max > 0 ? Max : stringLimit,
            CaptureLength.ArgumentPointee => (long)Math.Max(0, pointee) * Bytes,
            _ => 0,
        } + Header;
        if (StringLimited)
            n = Math.Min(n, stringLimit);
        return (int)Math.Clamp(n, 0, Max > 0 ? Max : DefaultMax);
    }

    private long Units(long count) => Unit <= 1 ? count : (count + Unit - 1) / Unit;
}
