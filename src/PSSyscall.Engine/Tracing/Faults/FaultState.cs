namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>What a fault did to a thread's current call, from its entry stop to its exit stop
/// (one per traced thread, reused).</summary>
internal sealed class FaultState
{
    /// <summary>Index of the fault (in the session's list) that hit the current call; -1: none.</summary>
    public int FaultIndex = -1;

    /// <summary>The call was skipped; <see cref="ReturnValue"/> is what it returns.</summary>
    public bool Skipped;
    public long ReturnValue;

    /// <summary>Stopwatch ticks to hold the thread at its exit stop.</summary>
    public long DelayExitTicks;

    /// <summary>When the thread held at this stop may run again (Stopwatch ticks); 0: not held.</summary>
    public long ResumeAt;

    public bool Hit => FaultIndex >= 0;

    public void Reset()
    {
        FaultIndex = -1;
        Skipped = false;
        ReturnValue = 0;
        DelayExitTicks = 0;
        ResumeAt = 0;
    }
}
