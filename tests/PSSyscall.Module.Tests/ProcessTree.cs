using System.Diagnostics;

namespace PSSyscall.Module.Tests;

/// <summary>/proc checks for "nothing left behind".</summary>
public static class ProcessTree
{
    /// <summary>Descendants of <paramref name="root"/> (this process by default) whose command
    /// line is exactly <paramref name="commandLine"/>; never other people's processes.</summary>
    public static int[] FindByCommandLine(string commandLine, int? root = null)
    {
        var found = new List<int>();
        foreach (int pid in Descendants(root ?? Environment.ProcessId))
        {
            try
            {
                string cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                if (cmd == commandLine)
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return found.ToArray();
    }

    public static IEnumerable<int> Descendants(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (string task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }
            foreach (string c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int child = int.Parse(c);
                yield return child;
                foreach (int d in Descendants(child))
                    yield return d;
            }
        }
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
