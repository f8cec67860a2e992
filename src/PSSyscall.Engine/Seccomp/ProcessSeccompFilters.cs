using System.Globalization;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Seccomp;

/// <summary>A thread's seccomp state as /proc/PID/status shows it.</summary>
public readonly record struct SeccompStatus(string ProcessName, int Mode, int FilterCount, int TracerPid)
{
    /// <summary>SECCOMP_MODE_DISABLED, SECCOMP_MODE_STRICT, SECCOMP_MODE_FILTER.</summary>
    public const int Disabled = 0, Strict = 1, Filter = 2;
}

/// <summary>
/// Reads the seccomp filters installed in a running thread with PTRACE_SECCOMP_GET_FILTER, which
/// needs CAP_SYS_ADMIN, a caller that is not itself under seccomp, and the thread in a
/// ptrace-stop. The thread is seized (no options), interrupted, its filters read from index 0 until
/// ENOENT, and detached; a signal that arrived meanwhile is given
/// back at the detach, and a thread that was stopped (job control) stays stopped. All of it runs on
/// the calling thread, which must not be a thread that waits for other tracees with waitpid(-1).
/// </summary>
public static unsafe class ProcessSeccompFilters
{
    private const int PTRACE_SECCOMP_GET_FILTER = 0x420c;
    private const int EMEDIUMTYPE = 124, EINVAL = 22;

    /// <summary>The Seccomp, Seccomp_filters and TracerPid fields of /proc/PID/status.</summary>
    public static SeccompStatus ReadStatus(int pid)
    {
        string name = "";
        int mode = 0, filters = 0, tracer = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                    continue;
                string key = line[..colon], value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "Name": name = value; break;
                    case "Seccomp": mode = ParseInt(value); break;
                    case "Seccomp_filters": filters = ParseInt(value); break;
                    case "TracerPid": tracer = ParseInt(value); break;
                }
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(pid);
        }
        catch (IOException) when (!Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
        {
            throw NotFound(pid); // it ended while being read
        }
        return new SeccompStatus(name, mode, filters, tracer);
    }

    /// <summary>The thread's filters in the order the kernel runs them: the most recently installed
    /// first. PTRACE_SECCOMP_GET_FILTER's index 0 is the first installed (measured; ptrace(2) says
    /// the most recent, but get_nth_filter in kernel/seccomp.c counts from the oldest), so the
    /// result is the indexes from highest to 0. Empty when it has none (seccomp disabled or strict
    /// mode).</summary>
    public static IReadOnlyList<SeccompBpfProgram> Read(int pid)
    {
        if (pid <= 0)
            throw NotFound(pid);
        SeccompStatus status = ReadStatus(pid);
        if (status.Mode != SeccompStatus.Filter)
            return Array.Empty<SeccompBpfProgram>();
        string who = Who(pid, status.ProcessName);
        if (pid == Environment.ProcessId || pid == Libc.gettid())
            throw new SeccompException("CannotReadOwnFilters", $"{Capitalize(who)} is this PowerShell process, which cannot stop itself to have its filters read. Read them from another pwsh.", pid);
        CheckCaller(who);
        // No SIGCHLD for the stop: .NET's handler would wake and waitpid(WNOHANG) each child it
        // started, which also takes a traced child's stop report and reads it as the child's exit
        // (Process.HasExited true, the child never reaped). Exits are still signalled.
        Tracing.SigchldTuning.Apply();

        if (!Ptrace.Seize(pid, 0))
        {
            int err = Libc.LastError;
            if (err == Libc.ESRCH)
                throw NotFound(pid);
            int tracer = SafeTracer(pid);
            string reason = tracer != 0
                ? $"it is already traced by process {tracer} (a debugger, strace, or Start-TracedProcess), and a thread has one tracer at a time"
                : Libc.ErrorText(err);
            throw new SeccompException("ProcessNotReadable", $"Cannot read the seccomp filters of {who}: ptrace refused ({reason}).", pid);
        }
        int reinject = 0;
        try
        {
            if (!Ptrace.Interrupt(pid))
                throw NotFound(pid);
            reinject = WaitForStop(pid);
            var filters = new List<SeccompBpfProgram>();
            for (int index = 0; ; index++)
            {
                long count = Ptrace.Request(PTRACE_SECCOMP_GET_FILTER, pid, index, 0);
                if (count < 0)
                {
                    int err = Libc.LastError;
                    if (err == Libc.ENOENT)
                        break;
                    throw GetFilterFailed(pid, who, index, err);
                }
                byte[] program = new byte[count * 8];
                long got;
                fixed (byte* p = program)
                    got = Ptrace.Request(PTRACE_SECCOMP_GET_FILTER, pid, index, (nint)p);
                if (got < 0)
                    throw GetFilterFailed(pid, who, index, Libc.LastError);
                SeccompBpfProgram filter = SeccompBpfProgram.FromBytes(program.AsSpan(0, (int)got * 8),
                    $"process {pid.ToString(CultureInfo.InvariantCulture)} filter {index.ToString(CultureInfo.InvariantCulture)}");
                filter.ProcessId = pid;
                filter.Index = index;
                filters.Add(filter);
            }
            foreach (SeccompBpfProgram f in filters)
                f.FilterCount = filters.Count;
            filters.Reverse();
            return filters;
        }
        finally
        {
            // A signal-delivery-stop's signal goes back with the detach; a pending interrupt is
            // dropped by the detach; a group-stopped thread stays stopped.
            Ptrace.Detach(pid, reinject);
        }
    }

    /// <summary>Waits for the seized thread's first stop; returns the signal to give back at the
    /// detach (0 for the interrupt's own stop or a group-stop). Polls rather than blocks: when the
    /// thread is a child of this process started by System.Diagnostics.Process (Start-Process),
    /// .NET's SIGCHLD handling (woken by another child's exit meanwhile) may call waitpid(pid,
    /// WNOHANG) on it, which also takes a traced child's stop report. Then /proc says it is in a
    /// tracing stop, which is all ptrace needs (the signal of a signal-delivery-stop taken that way
    /// cannot be given back).</summary>
    private static int WaitForStop(int pid)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            bool stopped = attempt > 0 && InTracingStop(pid);
            // After /proc shows the stop, once more: its report is ours to take (left pending, the
            // parent's next waitpid would see a stop after the detach).
            int got = Libc.waitpid(pid, out int status, Libc.WNOHANG | Libc.__WALL | Libc.__WNOTHREAD);
            if (got == pid)
            {
                if (!Libc.WIFSTOPPED(status))
                    throw NotFound(pid); // it exited meanwhile
                int eventCode = status >> 16;
                return eventCode == 0 ? Libc.WSTOPSIG(status) : 0;
            }
            if (got < 0 && Libc.LastError != Libc.EINTR)
                throw NotFound(pid);
            if (stopped)
                return 0; // stopped, and the report was taken by .NET's reaping (see above)
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new SeccompException("ProcessNotReadable", $"Process {pid.ToString(CultureInfo.InvariantCulture)} did not stop for ptrace within 10 seconds.", pid);
            if (attempt < 100)
                Thread.Yield();
            else
                Thread.Sleep(1);
        }
    }

    private static bool InTracingStop(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) S ...": the state follows the last ')'.
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 't';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The kernel's own conditions, checked first for a clear message.</summary>
    private static void CheckCaller(string who)
    {
        SeccompStatus self = ReadStatus(Libc.gettid());
        if (self.Mode != SeccompStatus.Disabled)
            throw new SeccompException("ProcessNotReadable",
                $"Cannot read the seccomp filters of {who}: this PowerShell runs under a seccomp filter itself (a container or sandbox), and the kernel lets only a caller without one read filters.", who);
        const int CapSysAdmin = 21;
        foreach (string line in File.ReadLines("/proc/thread-self/status"))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong caps)
                && (caps & (1UL << CapSysAdmin)) == 0)
                throw new SeccompException("ProcessNotReadable",
                    $"Cannot read the seccomp filters of {who}: the kernel gives them only to a caller with CAP_SYS_ADMIN (run pwsh as root). /proc/PID/status still shows how many it has (Seccomp_filters).", who);
        }
    }

    private static SeccompException GetFilterFailed(int pid, string who, int index, int err)
    {
        string reason = err switch
        {
            Libc.EACCES => "the kernel refused (EACCES: the caller needs CAP_SYS_ADMIN and no seccomp filter of its own)",
            EMEDIUMTYPE => "the filter was not made from classic BPF",
            EINVAL => "this kernel cannot dump filters (CONFIG_CHECKPOINT_RESTORE is off)",
            Libc.ESRCH => "it is gone",
            _ => Libc.ErrorText(err),
        };
        if (err == Libc.ESRCH)
            return NotFound(pid);
        return new SeccompException("ProcessNotReadable", $"Cannot read seccomp filter {index} of {who}: {reason}.", pid);
    }

    private static int SafeTracer(int pid)
    {
        try
        {
            return ReadStatus(pid).TracerPid;
        }
        catch (SeccompException)
        {
            return 0;
        }
    }

    private static string Who(int pid, string name)
        => name.Length > 0 ? $"process {pid.ToString(CultureInfo.InvariantCulture)} ({name})" : $"process {pid.ToString(CultureInfo.InvariantCulture)}";

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static int ParseInt(string s)
        => int.TryParse(s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : 0;

    private static SeccompException NotFound(int pid)
        => new("ProcessNotFound", $"No process with id {pid.ToString(CultureInfo.InvariantCulture)}.", pid);
}
