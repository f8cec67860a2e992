using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>The few /proc reads the tracer needs: once per new process or thread, never per stop.</summary>
internal static class ProcFs
{
    public static bool ProcessExists(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>/proc/PID/comm without its newline; "" if the process is gone.</summary>
    public static string ReadCommand(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The thread group (process) id of a thread, from /proc/TID/status; 0 if unknown.</summary>
    public static int ReadThreadGroupId(int tid) => ReadStatusNumber(tid, "Tgid:");

    /// <summary>The parent process id, from /proc/PID/status; 0 if unknown.</summary>
    public static int ReadParentId(int pid) => ReadStatusNumber(pid, "PPid:");

    private static int ReadStatusNumber(int tid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{tid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return int.Parse(line.AsSpan(field.Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>The state letter from /proc/TID/stat (R, S, D, T, t, Z...), or '\0' if gone.</summary>
    public static char ReadState(int tid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{tid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length ? stat[close + 2] : '\0';
        }
        catch (IOException)
        {
            return '\0';
        }
    }

    public static IEnumerable<int> ListThreads(int pid)
    {
        string[] entries;
        try
        {
            entries = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (string entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), out int tid))
                yield return tid;
        }
    }

    /// <summary>Before attaching (either backend): not this very process, and every one exists.</summary>
    public static void CheckAttachTargets(IReadOnlyList<int> pids)
    {
        int self = Environment.ProcessId;
        foreach (int pid in pids)
        {
            if (pid == self)
                throw new TraceException(TraceFailure.AttachDenied, pid.ToString(), $"Process {pid} is this PowerShell process; it cannot trace itself.");
            if (!ProcessExists(pid))
                throw new TraceException(TraceFailure.ProcessNotFound, pid.ToString(), $"No process with id {pid} exists.", Libc.ESRCH);
        }
    }
}
