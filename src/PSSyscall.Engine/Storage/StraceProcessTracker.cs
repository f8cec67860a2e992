namespace PSSyscall.Engine.Storage;

/// <summary>
/// What strace's text leaves out and a SyscallEvent has: the process (thread group) of each thread
/// and the process's command name. strace prints thread ids only, so the tracker follows the trace:
/// clone with CLONE_THREAD makes a thread of the caller's process, clone without it / fork / vfork a
/// new process that inherits the name, a successful execve renames the process to the program's
/// file name (as the kernel sets comm, at most 15 characters). A thread that shows up before its
/// parent's clone returns (strace prints the clone as unfinished) is placed by the clone in progress.
/// Events must be completed in the order they are delivered.
/// </summary>
internal sealed class StraceProcessTracker
{
    private const int CommLength = 15;

    private readonly Dictionary<int, int> _processOf = new();
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, int> _parentOf = new();
    private readonly List<(int Caller, bool Thread)> _clonesInProgress = new();
    private int? _root;

    public void CloneStarted(int tid, bool thread) => _clonesInProgress.Add((tid, thread));

    public void CloneEnded(int tid)
    {
        int i = _clonesInProgress.FindIndex(c => c.Caller == tid);
        if (i >= 0)
            _clonesInProgress.RemoveAt(i);
    }

    public int ProcessIdOf(int tid)
    {
        if (_processOf.TryGetValue(tid, out int pid))
            return pid;
        pid = tid;
        foreach ((int caller, bool thread) in _clonesInProgress)
        {
            if (caller != tid)
            {
                if (thread)
                    pid = ProcessIdOf(caller);
                else
                    _parentOf.TryAdd(pid, ProcessIdOf(caller));
                _names.TryAdd(pid, NameOf(ProcessIdOf(caller)));
                break;
            }
        }
        _processOf[tid] = pid;
        _root ??= pid;
        return pid;
    }

    private string NameOf(int pid) => _names.TryGetValue(pid, out string? name) ? name : "";

    /// <summary>Fills ProcessId, ProcessName (and IsRoot) and learns from the event.</summary>
    public void Complete(TraceEvent e)
    {
        int pid = ProcessIdOf(e.ThreadId);
        e.ProcessId = pid;
        if (e is SyscallEvent call && !call.Unfinished && call.Errno is null)
        {
            switch (call.Name)
            {
                case "clone" or "clone3" or "fork" or "vfork" when call.ReturnValue > 0:
                    int child = (int)call.ReturnValue;
                    bool thread = call.Name is "clone" or "clone3" && call.Arguments.Contains("CLONE_THREAD", StringComparison.Ordinal);
                    int childPid = thread ? pid : child;
                    _processOf[child] = childPid;
                    // The child may have run (even exec'd) before the parent's call returned.
                    if (!thread)
                    {
                        _names.TryAdd(child, NameOf(pid));
                        _parentOf.TryAdd(child, pid);
                    }
                    break;
                case "execve" or "execveat" when call.ReturnValue == 0 && call.Path is string path:
                    string name = System.IO.Path.GetFileName(path);
                    _names[pid] = name.Length > CommLength ? name[..CommLength] : name;
                    break;
            }
        }
        e.ProcessName = NameOf(pid);
        // strace's text does not say who started the first process: 0 there, as for a process
        // whose start the trace did not see.
        e.ParentProcessId = _parentOf.TryGetValue(pid, out int parent) ? parent : 0;
        if (e is ProcessExitEvent exit)
            exit.IsRoot = pid == _root;
    }

    /// <summary>After <see cref="Complete"/>: an exit line of a thread that is not its process's
    /// leader. strace writes one per thread; a trace's events have one per process (the leader's
    /// line, which the kernel reports once the whole thread group is gone), so readers drop these.</summary>
    public static bool IsThreadExit(TraceEvent e) => e is ProcessExitEvent && e.ThreadId != e.ProcessId;
}
