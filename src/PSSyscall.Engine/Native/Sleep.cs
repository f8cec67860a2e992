namespace PSSyscall.Engine.Native;

/// <summary>A short sleep with microsecond resolution (Thread.Sleep rounds to milliseconds): the
/// tracer's bounded wait while it holds tracees stopped for delay faults.</summary>
internal static unsafe class Sleep
{
    private const long SYS_nanosleep = 35;

    public static void Microseconds(long us)
    {
        if (us <= 0)
            return;
        long* ts = stackalloc long[2];
        ts[0] = us / 1_000_000;
        ts[1] = us % 1_000_000 * 1000;
        Libc.syscall(SYS_nanosleep, (long)ts, 0, 0); // EINTR just ends the sleep early: the caller re-checks
    }
}
