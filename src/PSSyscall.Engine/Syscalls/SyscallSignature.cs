namespace PSSyscall.Engine.Syscalls;

/// <summary>How a syscall's return value is shown.</summary>
public enum ReturnKind : byte
{
    Decimal,
    Fd,
    Hex,
    Octal,
    /// <summary>A signal number: "10 (SIGUSR1)".</summary>
    Signal,
}

/// <summary>What a successful call does to the process's descriptor table, which the tracer's
/// annotation cache must follow (strace -y reads /proc/PID/fd; we cache those reads).</summary>
internal enum FdEffect : byte
{
    None,
    Close,          // argument 0 closed
    CloseRange,     // a range closed
    DupToArg1,      // dup2/dup3: argument 1 now refers to argument 0's file
    ChangeDirectory,// the working directory changed (AT_FDCWD's annotation)
    RenamesPaths,   // an existing file's path changed or vanished: cached paths may be stale
}

/// <summary>One syscall's decoding: strace's classes, the kinds of its arguments and return value.</summary>
public sealed class SyscallSignature
{
    internal SyscallSignature(string name, SyscallClass classes, ReturnKind returnKind, ArgKind[]? arguments, int rawArgumentCount, CType[]? types = null)
    {
        Types = types ?? (arguments is null ? null : Array.ConvertAll(arguments, _ => CType.ULong));
        Name = name;
        Classes = classes;
        ReturnKind = returnKind;
        Arguments = arguments;
        RawArgumentCount = rawArgumentCount;
        Effect = name switch
        {
            "close" => FdEffect.Close,
            "close_range" => FdEffect.CloseRange,
            "dup2" or "dup3" => FdEffect.DupToArg1,
            "chdir" or "fchdir" or "chroot" => FdEffect.ChangeDirectory,
            "rename" or "renameat" or "renameat2" or "unlink" or "unlinkat" or "rmdir" or "mount" or "umount2"
                or "pivot_root" => FdEffect.RenamesPaths,
            _ => FdEffect.None,
        };
    }

    public string Name { get; }

    public SyscallClass Classes { get; }

    public ReturnKind ReturnKind { get; }

    /// <summary>The argument kinds, or null when the call is shown as raw hex words.</summary>
    public IReadOnlyList<ArgKind>? ArgumentKinds => Arguments;

    internal ArgKind[]? Arguments { get; }

    /// <summary>Each argument's C type (parallel to <see cref="ArgumentKinds"/>): the one place that
    /// says how many bits of the register the kernel reads.</summary>
    public IReadOnlyList<CType>? ArgumentTypes => Types;

    internal CType[]? Types { get; }

    /// <summary>What strace adds to a successful result in parentheses ("0 (SCHED_OTHER)"), or null.</summary>
    internal PSSyscall.Engine.Decoding.Codecs.ArgCodec? ResultCodec { get; init; }

    /// <summary>The decoder of the whole call, for multiplexed calls (fcntl...); null for calls
    /// decoded argument by argument.</summary>
    internal PSSyscall.Engine.Decoding.Printers.SyscallPrinter? Printer { get; init; }

    /// <summary>The codec of each argument (what to capture and how to print it), null for a call
    /// shown as raw words.</summary>
    internal PSSyscall.Engine.Decoding.Codecs.ArgCodec?[]? Codecs { get; init; }

    /// <summary>True when this call's result is a descriptor for these (normalized) arguments: its
    /// return kind says so and no argument's codec says otherwise.</summary>
    internal bool ReturnsDescriptor(ReadOnlySpan<ulong> args)
    {
        if (Printer is { } printer)
            return printer.ResultIsDescriptor(args);
        if (ReturnKind != ReturnKind.Fd)
            return false;
        if (Codecs is { } codecs)
        {
            for (int i = 0; i < codecs.Length && i < args.Length; i++)
            {
                if (codecs[i] is { } codec && codec.ResultIsNotDescriptor(args[i]))
                    return false;
            }
        }
        return true;
    }

    /// <summary>Replaces each register with the value the kernel reads (32-bit types lose the high
    /// half), which is what capture and printing must both see.</summary>
    internal void Normalize(Span<ulong> args)
    {
        if (Types is not { } types)
            return;
        if (ArgumentOrder is { } order && args.Length >= order.Length)
        {
            // The ABI passes the arguments in another order than the one printed (i386 clone).
            Span<ulong> given = stackalloc ulong[order.Length];
            args[..order.Length].CopyTo(given);
            for (int i = 0; i < order.Length; i++)
                args[i] = given[order[i]];
        }
        for (int i = 0; i < types.Length && i < args.Length; i++)
            args[i] = Compat ? CTypes.NormalizeCompat(types[i], args[i]) : CTypes.Normalize(types[i], args[i]);
    }

    /// <summary>True for the i386 table: registers hold 32-bit words (a long is sign-extended from
    /// 32 bits, a pointer or size zero-extended) and codecs read the 32-bit layouts.</summary>
    internal bool Compat { get; init; }

    /// <summary>Where each printed argument is in the registers, when the ABI orders them
    /// differently (i386 clone passes tls before child_tid); null: in order.</summary>
    internal int[]? ArgumentOrder { get; init; }

    /// <summary>For undecoded calls: how many raw arguments strace shows.</summary>
    public int RawArgumentCount { get; }

    /// <summary>True when the arguments are decoded (not raw hex).</summary>
    public bool IsDecoded => Arguments is not null;

    internal FdEffect Effect { get; }

    /// <summary>The signature of an unknown number: six raw arguments, no class.</summary>
    internal static readonly SyscallSignature Unknown = new("", SyscallClass.None, ReturnKind.Decimal, null, 6);
}
