using System.Globalization;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// The sandbox's own cgroups, one per hierarchy it needs, created beside the caller's own cgroup
/// and joined by the child before exec (the shim writes "0" to each cgroup.procs fd). They give
/// what rlimits cannot: a process limit that binds root too (pids.max), a memory limit and peak
/// for the whole tree, and a way to kill every process of the tree, grandchildren that
/// re-parented or started their own sessions included (cgroup.kill, or a kill loop on cgroup v1).
/// Works on the unified hierarchy (cgroup v2) and on v1 controllers, as the machine mounts them.
/// </summary>
internal sealed unsafe class SandboxCgroup : IDisposable
{
    private static int s_counter;

    private readonly List<string> _directories = new();
    private readonly List<int> _procsFds = new();
    private string? _unified;     // a v2 cgroup: cgroup.kill, cgroup.events
    private string? _memory;      // where memory is measured
    private bool _memoryIsV2;

    public IReadOnlyList<int> ProcsFds => _procsFds;

    // The guardian (see Guard): its pid, the write end of its pipe, and the stack it runs on.
    private int _guardianPid;
    private int _guardianFd = -1;
    private void* _guardianStack;
    private const int GuardianStackSize = 128 * 1024;

    /// <summary>True when <see cref="Kill"/> reaches every process of the tree.</summary>
    public bool CanKillTree => _directories.Count > 0;

    public bool LimitsProcesses { get; private set; }
    public bool LimitsMemory { get; private set; }

    private sealed record Hierarchy(string MountPoint, string OwnPath, bool IsV2, string[] Controllers)
    {
        public string OwnDirectory => Path.Join(MountPoint, OwnPath);
    }

    /// <summary>Creates the cgroups the limits need (and one for killing the tree). Returns null
    /// when no cgroup can be created (not root and nothing delegated); limits then fall back to
    /// rlimits where they can.</summary>
    public static SandboxCgroup? TryCreate(int? maxProcesses, long? maxMemory)
    {
        List<Hierarchy> hierarchies;
        try
        {
            hierarchies = Discover();
        }
        catch (IOException)
        {
            return null;
        }
        string name = string.Create(CultureInfo.InvariantCulture,
            $"pssyscall-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-{Random.Shared.Next(0x10000):x4}");
        var cgroup = new SandboxCgroup();
        try
        {
            Hierarchy? v2 = hierarchies.FirstOrDefault(h => h.IsV2);
            string[] v2Controllers = Array.Empty<string>();
            if (v2 is not null && cgroup.TryMake(v2, name) is { } unified)
            {
                cgroup._unified = unified;
                v2Controllers = ReadWords(Path.Join(unified, "cgroup.controllers"));
            }

            if (maxProcesses is int pids)
            {
                string? dir = v2Controllers.Contains("pids") ? cgroup._unified
                    : hierarchies.FirstOrDefault(h => !h.IsV2 && h.Controllers.Contains("pids")) is { } v1 ? cgroup.TryMake(v1, name) : null;
                if (dir is not null && TryWrite(Path.Join(dir, "pids.max"), pids.ToString(CultureInfo.InvariantCulture)))
                    cgroup.LimitsProcesses = true;
            }

            if (v2Controllers.Contains("memory"))
            {
                cgroup._memory = cgroup._unified;
                cgroup._memoryIsV2 = true;
            }
            else if (hierarchies.FirstOrDefault(h => !h.IsV2 && h.Controllers.Contains("memory")) is { } v1)
            {
                cgroup._memory = cgroup.TryMake(v1, name);
            }
            if (maxMemory is long bytes && cgroup._memory is { } memoryDir)
            {
                string value = bytes.ToString(CultureInfo.InvariantCulture);
                if (cgroup._memoryIsV2)
                {
                    cgroup.LimitsMemory = TryWrite(Path.Join(memoryDir, "memory.max"), value);
                    TryWrite(Path.Join(memoryDir, "memory.swap.max"), "0");
                }
                else
                {
                    cgroup.LimitsMemory = TryWrite(Path.Join(memoryDir, "memory.limit_in_bytes"), value);
                    TryWrite(Path.Join(memoryDir, "memory.memsw.limit_in_bytes"), value);
                }
            }

            if (cgroup._directories.Count == 0)
            {
                cgroup.Dispose();
                return null;
            }
            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    private string? TryMake(Hierarchy hierarchy, string name)
    {
        string dir = Path.Join(hierarchy.OwnDirectory, name);
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        _directories.Add(dir);
        int fd = Libc.open(Path.Join(dir, "cgroup.procs"), Libc.O_WRONLY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            _directories.Remove(dir);
            TryRemove(dir);
            return null;
        }
        _procsFds.Add(fd);
        return dir;
    }

    /// <summary>Peak memory of the tree in bytes, or null when no cgroup measured it.</summary>
    public long? PeakMemory
    {
        get
        {
            if (_memory is null)
                return null;
            string file = Path.Join(_memory, _memoryIsV2 ? "memory.peak" : "memory.max_usage_in_bytes");
            try
            {
                return long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>True when the kernel's OOM killer ended a process of the tree.</summary>
    public bool OomKilled
    {
        get
        {
            if (_memory is null)
                return false;
            string file = Path.Join(_memory, _memoryIsV2 ? "memory.events" : "memory.oom_control");
            try
            {
                foreach (string line in File.ReadLines(file))
                {
                    string[] parts = line.Split(' ');
                    if (parts.Length == 2 && parts[0] == "oom_kill" && parts[1] != "0")
                        return true;
                }
            }
            catch (IOException)
            {
            }
            return false;
        }
    }

    /// <summary>SIGKILLs every process in the sandbox's cgroups.</summary>
    public void Kill()
    {
        if (_unified is not null && TryWrite(Path.Join(_unified, "cgroup.kill"), "1"))
            return;
        // cgroup v1 (or a kernel before 5.14): kill what is listed until nothing is left; a fork
        // racing the loop shows up in the next round.
        for (int round = 0; round < 100; round++)
        {
            bool any = false;
            foreach (string dir in _directories)
            {
                foreach (int pid in ReadPids(Path.Join(dir, "cgroup.procs")))
                {
                    any = true;
                    Libc.kill(pid, Libc.SIGKILL);
                }
            }
            if (!any)
                return;
            Thread.Yield();
        }
    }

    /// <summary>True while any process is in the sandbox's cgroups.</summary>
    public bool IsPopulated
    {
        get
        {
            foreach (string dir in _directories)
            {
                if (ReadPids(Path.Join(dir, "cgroup.procs")).Any())
                    return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Starts a guardian: a small child of this process (sharing its memory, holding nothing but a
    /// pipe) that kills everything in these cgroups and removes them when the pipe's write end
    /// closes, which happens in <see cref="Dispose"/> or when this process dies, however it dies.
    /// So a killed host leaves no process of the tree and no cgroup behind. False when it could
    /// not be started (the cgroups still work; only the host's death is then not covered).
    /// Call from a thread that does not wait for arbitrary children (not a tracer thread).
    /// </summary>
    public bool Guard()
    {
        if (_directories.Count == 0 || _guardianPid > 0)
            return _guardianPid > 0;
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            return false;
        _guardianStack = System.Runtime.InteropServices.NativeMemory.Alloc(GuardianStackSize);
        var arena = new List<nint>();
        byte** dirs = stackalloc byte*[_directories.Count];
        try
        {
            for (int i = 0; i < _directories.Count; i++)
            {
                nint text = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8(_directories[i]);
                arena.Add(text);
                dirs[i] = (byte*)text;
            }
            int pid = Shim.SpawnGuardian(fds[0], dirs, _directories.Count, _guardianStack, GuardianStackSize);
            Libc.close(fds[0]);
            if (pid < 0)
            {
                Libc.close(fds[1]);
                System.Runtime.InteropServices.NativeMemory.Free(_guardianStack);
                _guardianStack = null;
                return false;
            }
            _guardianPid = pid;
            _guardianFd = fds[1];
            return true;
        }
        finally
        {
            foreach (nint text in arena)
                System.Runtime.InteropServices.Marshal.FreeCoTaskMem(text);
        }
    }

    // Guardians still removing cgroups when their owner was disposed: reaped (and their stacks
    // freed) by a later StopGuardian rather than making Dispose wait for them.
    private static readonly List<(int Pid, nint Stack)> s_lingering = new();

    private void StopGuardian()
    {
        ReapLingering();
        if (_guardianPid <= 0)
            return;
        Libc.close(_guardianFd);
        _guardianFd = -1;
        // It runs on our memory: its stack is freed only once it has exited. With the cgroups
        // already gone it exits at once; one still waiting for a cgroup to empty is left to finish.
        for (int attempt = 0; attempt < 200; attempt++)
        {
            if (TryReap(_guardianPid, (nint)_guardianStack))
            {
                _guardianPid = 0;
                _guardianStack = null;
                return;
            }
            Thread.Sleep(attempt < 20 ? 0 : 10);
        }
        lock (s_lingering)
            s_lingering.Add((_guardianPid, (nint)_guardianStack));
        _guardianPid = 0;
        _guardianStack = null;
    }

    private static bool TryReap(int pid, nint stack)
    {
        int rc = Libc.waitpid(pid, out _, Libc.__WALL | Libc.WNOHANG);
        if (rc == 0 || (rc < 0 && Libc.LastError == Libc.EINTR))
            return false;
        System.Runtime.InteropServices.NativeMemory.Free((void*)stack);
        return true;
    }

    private static void ReapLingering()
    {
        lock (s_lingering)
            s_lingering.RemoveAll(g => TryReap(g.Pid, g.Stack));
    }

    public void Dispose()
    {
        foreach (int fd in _procsFds)
            Libc.close(fd);
        _procsFds.Clear();
        if (_directories.Count == 0)
        {
            StopGuardian();
            return;
        }
        Kill();
        // A killed process leaves the cgroup when it has exited; rmdir fails with EBUSY until then.
        for (int attempt = 0; attempt < 1000 && _directories.Count > 0; attempt++)
        {
            for (int i = _directories.Count - 1; i >= 0; i--)
            {
                if (TryRemove(_directories[i]))
                    _directories.RemoveAt(i);
            }
            if (_directories.Count > 0)
            {
                if (attempt % 20 == 19)
                    Kill();
                Thread.Sleep(attempt < 10 ? 0 : 5);
            }
        }
        StopGuardian();
    }

    private static bool TryRemove(string dir)
    {
        try
        {
            Directory.Delete(dir);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<int> ReadPids(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<int>();
        }
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }

    private static bool TryWrite(string file, string value)
    {
        try
        {
            File.WriteAllText(file, value);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[] ReadWords(string file)
    {
        try
        {
            return File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>The cgroup hierarchies mounted here (from /proc/self/mountinfo) with this process's
    /// place in each (from /proc/self/cgroup).</summary>
    private static List<Hierarchy> Discover()
    {
        var ownV1 = new Dictionary<string, string>(StringComparer.Ordinal);
        string? ownV2 = null;
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            if (parts[0] == "0" && parts[1].Length == 0)
                ownV2 = parts[2];
            else
                foreach (string controller in parts[1].Split(','))
                    ownV1[controller] = parts[2];
        }

        var result = new List<Hierarchy>();
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 0 || dash + 3 >= fields.Length || fields[3] != "/")
                continue;
            string mountPoint = Unescape(fields[4]);
            string fsType = fields[dash + 1];
            if (fsType == "cgroup2" && ownV2 is not null)
            {
                result.Add(new Hierarchy(mountPoint, ownV2, true, Array.Empty<string>()));
            }
            else if (fsType == "cgroup")
            {
                string[] controllers = fields[dash + 3].Split(',').Where(ownV1.ContainsKey).ToArray();
                if (controllers.Length > 0)
                    result.Add(new Hierarchy(mountPoint, ownV1[controllers[0]], false, controllers));
            }
        }
        return result;
    }

    private static string Unescape(string field) => field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\134", "\\");
}
