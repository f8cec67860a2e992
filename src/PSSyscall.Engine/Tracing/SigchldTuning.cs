using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// .NET installs a SIGCHLD handler the first time System.Diagnostics.Process is used (PowerShell
/// does so for its first native command). Every ptrace stop then raises SIGCHLD and wakes the
/// runtime's signal thread, which made tracing 1.5-1.7x slower in measurements. Adding
/// SA_NOCLDSTOP to that handler stops the notifications for stops only; exit notifications, which
/// the runtime needs to reap its own children, still arrive. Applied before every trace because
/// the runtime may install its handler later than our first trace.
/// </summary>
internal static unsafe class SigchldTuning
{
    public static void Apply()
    {
        Libc.SigAction current;
        if (Libc.sigaction(Libc.SIGCHLD, null, &current) != 0)
            return;
        // SIG_DFL (0) and SIG_IGN (1): nobody is woken, nothing to tune.
        if (current.Handler == 0 || current.Handler == 1 || (current.Flags & (int)Libc.SA_NOCLDSTOP) != 0)
            return;
        current.Flags |= (int)Libc.SA_NOCLDSTOP;
        Libc.sigaction(Libc.SIGCHLD, &current, null);
    }
}
