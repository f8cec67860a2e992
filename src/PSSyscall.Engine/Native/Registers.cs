namespace PSSyscall.Engine.Native;

/// <summary>
/// Writing a stopped tracee's registers with PTRACE_POKEUSER, at offsets into x86_64's
/// struct user (its first member is user_regs_struct). A 64-bit tracer uses this layout for
/// i386 and x32 tracees too. Fault injection uses it: orig_rax = -1 at a syscall-entry (or seccomp)
/// stop makes the kernel skip the call, and rax is what the call returns.
/// Tracer thread only, like every ptrace request.
/// </summary>
internal static class Registers
{
    public const int PTRACE_PEEKUSER = 3, PTRACE_POKEUSER = 6;

    // offsetof(struct user_regs_struct, ...) on x86_64: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax
    // rcx rdx rsi rdi orig_rax rip ...
    public const int RaxOffset = 10 * 8;
    public const int OrigRaxOffset = 15 * 8;
    public const int RipOffset = 16 * 8;

    /// <summary>The stopped thread's rip (0 if it cannot be read). The raw PTRACE_PEEKUSER request
    /// stores the word at *data (glibc's wrapper returns it instead).</summary>
    public static unsafe ulong PeekInstructionPointer(int tid)
    {
        ulong value = 0;
        return Ptrace.Request(PTRACE_PEEKUSER, tid, RipOffset, (nint)(&value)) == 0 ? value : 0;
    }

    public static bool Poke(int tid, int offset, long value)
        => Ptrace.Request(PTRACE_POKEUSER, tid, offset, (nint)value) == 0;

    /// <summary>Skip the call the tracee is entering: the kernel runs no syscall numbered -1, and
    /// leaves rax (its return value) as we set it.</summary>
    public static bool SkipSyscall(int tid, long returnValue)
        => Poke(tid, OrigRaxOffset, -1) && Poke(tid, RaxOffset, returnValue);

    /// <summary>strace's syscall=: at the entry stop, the kernel runs this call instead (with the
    /// same arguments); the exit stop then sets the result the fault wants.</summary>
    public static bool ReplaceSyscall(int tid, int number) => Poke(tid, OrigRaxOffset, number);

    /// <summary>Set the value the call returns (at its exit stop).</summary>
    public static bool SetReturnValue(int tid, long returnValue) => Poke(tid, RaxOffset, returnValue);
}
