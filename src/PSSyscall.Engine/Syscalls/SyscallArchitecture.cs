namespace PSSyscall;

/// <summary>The system-call ABIs an x86_64 process can use. A 64-bit process can still enter the
/// kernel through the i386 ABI (int 0x80) or the x32 ABI (numbers with bit 30 set); each has its
/// own numbering, so a call is only named correctly together with its ABI.</summary>
public enum SyscallArchitecture
{
    X86_64,
    I386,
    X32,
}
