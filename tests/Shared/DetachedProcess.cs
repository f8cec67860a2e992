using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PSSyscall.Tests.Shared;

/// <summary>
/// A process for attach tests that is not a child of the test host. A child started with
/// System.Diagnostics.Process is one .NET checks with waitpid(pid, WNOHANG) whenever any child of the
/// host exits; while the child is traced by a thread of the same process, that call takes the
/// child's ptrace stops from the tracer, and .NET then takes the stop for an exit (HasExited turns
/// true, Kill does nothing). Tests run in parallel and start processes all the time, so such a
/// test fails at random. Here a small shell (an orphan, reaped by init) starts the command, writes
/// its pid, waits for it and writes its exit status.
/// </summary>
public sealed class DetachedProcess : IDisposable
{
    private const string Runner = """
        base=$1; shift
        "$@" </dev/null >/dev/null 2>&1 &
        echo $! > "$base.pid"
        wait $!
        echo $? > "$base.status"
        """;

    private readonly string _base;

    private DetachedProcess(string basePath, int id)
    {
        _base = basePath;
        Id = id;
    }

    public int Id { get; }

    public static DetachedProcess Start(string file, params string[] args)
    {
        string basePath = Path.Combine(Path.GetTempPath(), "pssyscall-detached-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("sh");
        foreach (string a in new[] { "-c", "sh -c \"$0\" sh \"$@\" </dev/null >/dev/null 2>&1 &", Runner, basePath, file }.Concat(args))
            psi.ArgumentList.Add(a);
        using (Process launcher = Process.Start(psi)!)
            launcher.WaitForExit();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(basePath + ".pid") && int.TryParse(File.ReadAllText(basePath + ".pid").Trim(), out int id))
                return new DetachedProcess(basePath, id);
            Thread.Sleep(10);
        }
        throw new TimeoutException($"'{file}' did not start");
    }

    /// <summary>Ended (gone, or a zombie waiting for its parent).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{Id}/stat");
                return stat[stat.LastIndexOf(')') + 2] == 'Z';
            }
            catch (IOException)
            {
                return true;
            }
        }
    }

    /// <summary>The exit status as the shell's wait saw it (128 + n for a signal), or null on timeout.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (File.Exists(_base + ".status") && int.TryParse(File.ReadAllText(_base + ".status").Trim(), out int status))
                return status;
            Thread.Sleep(10);
        }
        return null;
    }

    public void Dispose()
    {
        kill(Id, 9);
        WaitForExit(TimeSpan.FromSeconds(2));
        File.Delete(_base + ".pid");
        File.Delete(_base + ".status");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
