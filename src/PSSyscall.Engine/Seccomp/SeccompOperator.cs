namespace PSSyscall;

/// <summary>How a seccomp condition compares a 64-bit argument (libseccomp's SCMP_CMP_*). All
/// comparisons are unsigned, as the kernel's BPF is.</summary>
public enum SeccompOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    /// <summary>(argument &amp; Mask) == Value.</summary>
    MaskedEqual,
}
