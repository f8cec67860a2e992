namespace PSSyscall;

/// <summary>The system-call ABIs the module knows: the three an x86_64 process can use (x86_64,
/// i386 through int 0x80, x32 with bit 30 set in the number), which it traces, and every other
/// architecture libseccomp 2.5 knows, for which it compiles, tests and exports seccomp filters
/// (policies for other machines). Each ABI has its own numbering, so a call is only named
/// correctly together with its ABI. The names follow libseccomp's SCMP_ARCH_* (Mipsel64 is
/// SCMP_ARCH_MIPSEL64).</summary>
public enum SyscallArchitecture
{
    X86_64,
    I386,
    X32,
    Aarch64,
    Arm,
    Riscv64,
    Ppc64le,
    Ppc64,
    Ppc,
    S390x,
    S390,
    Mips,
    Mipsel,
    Mips64,
    Mipsel64,
    Mips64n32,
    Mipsel64n32,
    Parisc,
    Parisc64,
}
