namespace PSSyscall;

/// <summary>strace's syscall classes (its %file, %desc, %network ... sets), as flags: a call can be
/// in several (openat is File and Desc).</summary>
[Flags]
public enum SyscallClass
{
    None = 0,
    File = 1 << 0,
    Desc = 1 << 1,
    Network = 1 << 2,
    Process = 1 << 3,
    Signal = 1 << 4,
    Memory = 1 << 5,
    Ipc = 1 << 6,
    Creds = 1 << 7,
    Clock = 1 << 8,
    Stat = 1 << 9,
    LStat = 1 << 10,
    FStat = 1 << 11,
    StatFs = 1 << 12,
    Pure = 1 << 13,
}
