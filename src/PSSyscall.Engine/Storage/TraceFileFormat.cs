namespace PSSyscall;

/// <summary>The trace file formats Export-SyscallEvent writes and Get-SyscallEvent reads.</summary>
public enum TraceFileFormat
{
    /// <summary>One JSON object a line after a header line: every property, lossless.</summary>
    JsonLines,

    /// <summary>Comma-separated values quoted like pwsh 7's Export-Csv.</summary>
    Csv,

    /// <summary>strace's text output (what <c>strace -f -tt -T -y</c> writes).</summary>
    Strace,
}
