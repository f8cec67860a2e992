using System.Text;
using System.Text.Json;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>The process tree and the timeline page built from events: shapes a trace can take that
/// a single run of a program does not show (a parent known only from its fork, pid reuse, text
/// that would end the page's script).</summary>
public class ProcessTreeTests
{
    private static readonly DateTime T0 = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Local);

    private static SyscallEvent Call(int pid, string name, long ret, double at, string arguments = "", int parent = 0, string? path = null) => new()
    {
        ProcessId = pid, ThreadId = pid, ParentProcessId = parent, ProcessName = "p" + pid, Name = name, ReturnValue = ret,
        Arguments = arguments, Path = path, Timestamp = T0.AddMilliseconds(at), Duration = TimeSpan.FromMilliseconds(1),
        Class = name is "clone" or "execve" or "wait4" ? SyscallClass.Process : SyscallClass.File,
    };

    private static ProcessExitEvent Exit(int pid, int code, double at) => new() { ProcessId = pid, ThreadId = pid, ExitCode = code, Timestamp = T0.AddMilliseconds(at) };

    [Fact]
    public void PlacesAChildByTheForkThatReturnedItsId()
    {
        var tree = new ProcessTreeBuilder();
        tree.Add(Call(100, "execve", 0, 0, "\"/bin/sh\", [\"sh\", \"-c\", \"x\"], 0x1 /* 3 vars */", parent: 1, path: "/bin/sh"));
        tree.Add(Call(100, "clone", 101, 1, "child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD"));
        tree.Add(Call(100, "clone", 102, 2, "child_stack=NULL, flags=CLONE_VM|CLONE_THREAD"));
        tree.Add(Call(101, "execve", 0, 3, "\"/bin/cat\", [\"cat\", \"a]b\"], 0x1 /* 3 vars */", path: "/bin/cat"));
        tree.Add(Exit(101, 1, 5));
        tree.Add(Exit(100, 0, 6));
        IReadOnlyList<ProcessTreeNode> nodes = tree.Build();

        Assert.Equal(new[] { 100, 101 }, nodes.Select(n => n.ProcessId));
        Assert.Equal(1, nodes[0].ParentProcessId);
        Assert.Equal(100, nodes[1].ParentProcessId);
        Assert.Equal(new[] { 0, 1 }, nodes.Select(n => n.Depth));
        Assert.Equal(new[] { "", "└─ " }, nodes.Select(n => n.TreePrefix));
        Assert.Equal("[\"cat\", \"a]b\"]", nodes[1].CommandLine);
        Assert.Equal(new[] { "/bin/cat" }, nodes[1].Programs);
        Assert.Equal(new[] { 0, 1 }, nodes.Select(n => n.ExitCode!.Value));
        Assert.Equal(3, nodes[0].Calls);
        Assert.Equal(TimeSpan.FromMilliseconds(3), nodes[0].SyscallTime);
        Assert.Equal(TimeSpan.FromMilliseconds(6), nodes[0].Duration);
    }

    [Fact]
    public void SurvivesParentsThatFormACycle()
    {
        // A reused pid can make two processes each other's parent: both are listed, once.
        var tree = new ProcessTreeBuilder();
        tree.Add(Call(200, "read", 0, 0, parent: 201));
        tree.Add(Call(201, "read", 0, 1, parent: 200));
        IReadOnlyList<ProcessTreeNode> nodes = tree.Build();
        Assert.Equal(new[] { 200, 201 }, nodes.Select(n => n.ProcessId).Order());
    }

    [Fact]
    public void TimelinePageHoldsTheTraceAsJsonThatCannotEndItsScript()
    {
        var timeline = new TimelineWriter();
        timeline.Add(Call(300, "execve", 0, 0, "\"/bin/sh\", [\"sh\"], 0x1", parent: 1, path: "/bin/sh"));
        timeline.Add(Call(300, "write", 9, 1, "1, \"</script><b>\", 9"));
        timeline.Add(new SignalEvent { ProcessId = 300, ThreadId = 300, Signal = "SIGCHLD", Code = "CLD_EXITED", Timestamp = T0.AddMilliseconds(2) });
        timeline.Add(Exit(300, 0, 3));
        using var page = new MemoryStream();
        timeline.Write(page, "a <title> & more");
        string html = Encoding.UTF8.GetString(page.ToArray());

        Assert.Contains("<title>a &lt;title&gt; &amp; more</title>", html);
        const string open = "<script id=\"trace-data\" type=\"application/json\">";
        int start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        int end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        using JsonDocument data = JsonDocument.Parse(html[start..end]);
        JsonElement root = data.RootElement;
        Assert.Equal(1, root.GetProperty("lanes").GetArrayLength());
        Assert.Equal(2, root.GetProperty("spans").GetArrayLength());
        Assert.Equal(2, root.GetProperty("marks").GetArrayLength());
        Assert.Equal("1, \"</script><b>\", 9", root.GetProperty("spans")[1][6].GetString());
        Assert.Equal(1, root.GetProperty("processes").GetInt32());
        Assert.Equal(3000, root.GetProperty("duration").GetInt64()); // µs from the first event to the exit
        Assert.DoesNotContain("__DATA__", html);
    }

    [Fact]
    public void TracedEventsNameTheProcessThatForkedTheirs()
    {
        // sh forks ls and wc (a pipeline), and a subshell that forks cat: two levels of children.
        var (events, session) = TraceRunner.Run("sh", "-c", "ls / | wc -l; (cat /etc/hostname; true)");
        int root = session.ProcessId;
        Assert.All(events.Where(e => e.ProcessId == root), e => Assert.Equal(Environment.ProcessId, e.ParentProcessId));
        // Every other process's parent is a traced process, and its events agree on it.
        var parentOf = events.Where(e => e.ProcessId != root).GroupBy(e => e.ProcessId)
            .ToDictionary(g => g.Key, g => Assert.Single(g.Select(e => e.ParentProcessId).Distinct()));
        Assert.True(parentOf.Count >= 4, $"ls, wc, the subshell and cat: got {parentOf.Count} processes");
        Assert.All(parentOf.Values, parent => Assert.True(parent == root || parentOf.ContainsKey(parent), $"parent {parent} is traced"));
        // The fork that returned each child's id was made by the process named as its parent.
        foreach (SyscallEvent fork in events.OfType<SyscallEvent>().Where(e => e.Name is "clone" or "clone3" or "fork" or "vfork" && e.ReturnValue > 0))
            if (parentOf.TryGetValue((int)fork.ReturnValue, out int parent))
                Assert.Equal(fork.ProcessId, parent);
        Assert.Contains(parentOf, p => p.Value != root); // cat's parent is the subshell
    }
}
