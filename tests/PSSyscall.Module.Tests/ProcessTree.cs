using System.Diagnostics;

namespace PSSyscall.Module.Tests;

/// <summary>/proc checks for "nothing left behind".</summary>
public static class ProcessTree
{
    public static int[] FindByCommandLine(string commandLine)
    {
        var found = new List<int>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (cmd == commandLine)
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return found.ToArray();
    }

    public static string? Status(int pid, string field)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line?[(field.Length + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Running, stopped or a zombie of ours. A zombie reparented to init is dead and init's
    /// to reap (as for any orphan), so it does not count.</summary>
    public static bool IsLive(int pid)
    {
        string? state = Status(pid, "State");
        if (state is null)
            return false;
        return !(state.StartsWith('Z') && Status(pid, "PPid") == "1");
    }

    public static bool AllGoneWithin(IEnumerable<int> pids, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (pids.Any(IsLive))
        {
            if (sw.Elapsed > timeout)
                return false;
            Thread.Sleep(10);
        }
        return true;
    }
}
