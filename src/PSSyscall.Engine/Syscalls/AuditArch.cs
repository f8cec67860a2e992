namespace PSSyscall.Engine.Syscalls;

/// <summary>AUDIT_ARCH_* values (linux/audit.h), which seccomp_data and PTRACE_GET_SYSCALL_INFO
/// report, and the x32 bit that distinguishes x32 calls inside AUDIT_ARCH_X86_64.</summary>
public static class AuditArch
{
    public const uint X86_64 = 0xC000003E;
    public const uint I386 = 0x40000003;
    public const uint AArch64 = 0xC00000B7;
    public const int X32SyscallBit = 0x40000000;

    /// <summary>Classifies a (audit arch, number) pair from the kernel into an ABI and the number
    /// within that ABI's table (for x32, without the x32 bit).</summary>
    public static SyscallArchitecture Classify(uint auditArch, long number, out int tableNumber)
    {
        if (auditArch == I386)
        {
            tableNumber = (int)number;
            return SyscallArchitecture.I386;
        }
        if ((number & X32SyscallBit) != 0 && number >= 0)
        {
            tableNumber = (int)(number & ~(long)X32SyscallBit);
            return SyscallArchitecture.X32;
        }
        tableNumber = (int)number;
        return SyscallArchitecture.X86_64;
    }

    public static uint For(SyscallArchitecture architecture) => ArchitectureInfo.Get(architecture).AuditArch;
}
