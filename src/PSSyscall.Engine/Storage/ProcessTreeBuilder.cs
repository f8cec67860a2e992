
namespace PSSyscall.Engine.Storage;

/// <summary>
/// Builds the process tree of a trace from its events, in one pass and in the order they come: for
/// each process its parent (<see cref="TraceEvent.ParentProcessId"/>, or the fork/clone that
/// returned its id), the programs it exec'd, its calls, errors, time in calls, signals and exit.
/// </summary>
public sealed class ProcessTreeBuilder
{
    private readonly Dictionary<int, Node> _nodes = new();
    private readonly List<Node> _order = new();

    private sealed class Node
    {
        public required ProcessTreeNode Info;
        public readonly HashSet<int> Threads = new();
        public readonly List<string> Programs = new();
        public readonly List<Node> Children = new();
        public bool Ended;
    }

    public void Add(TraceEvent e)
    {
        Node node = NodeFor(e.ProcessId, e.ParentProcessId, e.Timestamp);
        ProcessTreeNode info = node.Info;
        node.Threads.Add(e.ThreadId);
        if (e.ProcessName.Length > 0)
            info.ProcessName = e.ProcessName;
        DateTime end = e.Timestamp;
        switch (e)
        {
            case SyscallEvent call:
                info.Calls++;
                if (call.Errno is not null)
                    info.Errors++;
                info.SyscallTime += call.Duration;
                end += call.Duration;
                if (call.Name is "execve" or "execveat" && call.ReturnValue == 0 && !call.Unfinished)
                {
                    node.Programs.Add(call.Path ?? call.Name);
                    info.CommandLine = ArgumentVector(call.Arguments);
                }
                else if (call.Name is "fork" or "vfork" or "clone" or "clone3" && call.ReturnValue > 0
                    && !call.Arguments.Contains("CLONE_THREAD", StringComparison.Ordinal))
                {
                    // The child's parent, for files that do not carry ParentProcessId.
                    NodeFor((int)call.ReturnValue, e.ProcessId, e.Timestamp + call.Duration);
                }
                break;
            case SignalEvent:
                info.Signals++;
                break;
            case ProcessExitEvent exit:
                info.ExitCode = exit.ExitCode;
                info.Signal = exit.Signal;
                node.Ended = true;
                break;
        }
        if (end > info.EndTime && !(node.Ended && e is not ProcessExitEvent))
            info.EndTime = end;
    }

    private Node NodeFor(int pid, int parent, DateTime seen)
    {
        if (_nodes.TryGetValue(pid, out Node? node))
        {
            if (node.Info.ParentProcessId == 0 && parent != 0 && parent != pid)
                node.Info.ParentProcessId = parent;
            if (seen < node.Info.StartTime)
                node.Info.StartTime = seen;
            return node;
        }
        node = new Node { Info = new ProcessTreeNode { ProcessId = pid, ParentProcessId = parent == pid ? 0 : parent, StartTime = seen, EndTime = seen } };
        _nodes[pid] = node;
        _order.Add(node);
        return node;
    }

    /// <summary>The processes in tree order: each root (a process whose parent is not in the trace)
    /// by start time, then its children depth first.</summary>
    public IReadOnlyList<ProcessTreeNode> Build()
    {
        var roots = new List<Node>();
        foreach (Node node in _order)
        {
            ProcessTreeNode info = node.Info;
            info.Threads = node.Threads.Count;
            info.Programs = node.Programs.ToArray();
            if (_nodes.TryGetValue(info.ParentProcessId, out Node? parent) && parent != node && !IsAncestor(node, parent))
                parent.Children.Add(node);
            else
                roots.Add(node);
        }
        var result = new List<ProcessTreeNode>(_order.Count);
        foreach (Node root in roots.OrderBy(r => r.Info.StartTime))
            Walk(root, 0, "", "", result);
        return result;
    }

    private bool IsAncestor(Node node, Node candidate)
    {
        // A cycle (pid reuse within one trace) must not hang the walk: a node is never its own ancestor.
        var seen = new HashSet<int>();
        for (Node? n = candidate; n is not null && seen.Add(n.Info.ProcessId); n = _nodes.GetValueOrDefault(n.Info.ParentProcessId))
            if (n == node)
                return true;
        return false;
    }

    private static void Walk(Node node, int depth, string prefix, string childPrefix, List<ProcessTreeNode> result)
    {
        node.Info.Depth = depth;
        node.Info.TreePrefix = prefix;
        List<Node> children = node.Children.OrderBy(c => c.Info.StartTime).ToList();
        node.Info.Children = children.Select(c => c.Info.ProcessId).ToArray();
        result.Add(node.Info);
        for (int i = 0; i < children.Count; i++)
        {
            bool last = i == children.Count - 1;
            Walk(children[i], depth + 1, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), result);
        }
    }

    /// <summary>The argv array of execve's arguments as strace shows it: ["ls", "-l"].</summary>
    internal static string? ArgumentVector(string arguments)
    {
        int start = arguments.IndexOf(", [", StringComparison.Ordinal);
        if (start < 0)
            return null;
        start += 2;
        bool quoted = false;
        for (int i = start; i < arguments.Length; i++)
        {
            char c = arguments[i];
            if (quoted)
            {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    quoted = false;
            }
            else if (c == '"')
                quoted = true;
            else if (c == ']')
                return arguments[start..(i + 1)];
        }
        return null;
    }
}
