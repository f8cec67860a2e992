using System.Diagnostics;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// Threads a delay fault holds in their ptrace-stop, and when each may run again. The tracer
/// thread never sleeps for one of them: while any is held, its wait for the next stop becomes a
/// poll (waitpid WNOHANG): yielding for 200 µs after each stop (busy tracees stop again that soon),
/// then short sleeps that back off from 20 µs to 1 ms and never overshoot the next due time, so
/// other tracees keep running and the delays end on time. With none held the
/// tracer blocks in waitpid as usual and this costs nothing.
/// </summary>
internal sealed class DelayedResumes
{
    private const long SpinUs = 200, MinSleepUs = 20, MaxSleepUs = 1000;
    private readonly List<(Tracee Tracee, long Due)> _held = new();
    private readonly Action<Tracee> _resume;
    private long _nextDue = long.MaxValue;

    public DelayedResumes(Action<Tracee> resume) => _resume = resume;

    public int Count => _held.Count;

    /// <summary>True while a delay keeps this thread in its ptrace stop on purpose.</summary>
    public bool IsHeld(int tid) => _held.Count > 0 && _held.Exists(h => h.Tracee.ThreadId == tid);

    public void Hold(Tracee t, long due)
    {
        _held.Add((t, due));
        if (due < _nextDue)
            _nextDue = due;
    }

    /// <summary>Resumes every held thread whose time has come.</summary>
    public void ReleaseDue()
    {
        if (_held.Count == 0 || Stopwatch.GetTimestamp() < _nextDue)
            return;
        long now = Stopwatch.GetTimestamp();
        _nextDue = long.MaxValue;
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            var (t, due) = _held[i];
            if (due <= now)
            {
                _held.RemoveAt(i);
                _resume(t);
            }
            else if (due < _nextDue)
            {
                _nextDue = due;
            }
        }
    }

    /// <summary>Resumes every held thread now (the trace is stopping).</summary>
    public void ReleaseAll()
    {
        var all = _held.ToArray();
        _held.Clear();
        _nextDue = long.MaxValue;
        foreach (var (t, _) in all)
            _resume(t);
    }

    /// <summary>A held thread reported a stop or its end (a SIGKILL woke it): it is no longer held.</summary>
    public void Forget(int tid)
    {
        if (_held.Count == 0)
            return;
        int i = _held.FindIndex(h => h.Tracee.ThreadId == tid);
        if (i >= 0)
            _held.RemoveAt(i);
    }

    /// <summary>The tracer's wait while threads are held: the next stop (like waitpid), or 0 when
    /// none came but a held thread was released, so the caller loops.</summary>
    public int WaitForStop(out int status, int waitFlags)
    {
        long sleepUs = MinSleepUs;
        // A busy tracee stops again within tens of microseconds of being resumed: yield the CPU
        // for a moment before sleeping (a sleep costs at least the 50 us timer slack per stop).
        long spinUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SpinUs / 1_000_000;
        while (true)
        {
            ReleaseDue();
            if (_held.Count == 0)
                return Libc.waitpid(-1, out status, waitFlags); // nothing held: block as usual
            int pid = Libc.waitpid(-1, out status, waitFlags | Libc.WNOHANG);
            if (pid != 0)
                return pid;
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.Yield();
                continue;
            }
            long untilDue = (long)((_nextDue - Stopwatch.GetTimestamp()) * 1_000_000.0 / Stopwatch.Frequency);
            Sleep.Microseconds(Math.Clamp(Math.Min(sleepUs, untilDue), 1, MaxSleepUs));
            sleepUs = Math.Min(sleepUs * 2, MaxSleepUs);
        }
    }
}
