namespace PSSyscall;

/// <summary>What a trace event reports.</summary>
public enum TraceEventType
{
    Syscall,
    Signal,
    Exit,
}
