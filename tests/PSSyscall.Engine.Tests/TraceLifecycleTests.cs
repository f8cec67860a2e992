using System.Diagnostics;
using PSSyscall.Tests.Shared;
using PSSyscall.Engine.Tracing;
using TraceOptions = PSSyscall.Engine.Tracing.TraceOptions;

namespace PSSyscall.Engine.Tests;

/// <summary>Exec from a thread, death by signal, attach/detach, cancel: reported correctly and
/// leaving nothing behind.</summary>
public class TraceLifecycleTests
{
    [Fact]
    public void ExecFromNonLeaderThreadIsReportedOnceUnderTheProcessId()
    {
        string program = TestPrograms.Compile(TestPrograms.ExecFromThread);
        var (events, session) = TraceRunner.Run(program);
        Assert.Equal(0, session.ExitCode);
        var syscalls = events.OfType<SyscallEvent>().ToList();
        int pid = session.ProcessId;

        // The thread's execve completes under the process id (the kernel gives it the leader's tid).
        var execs = syscalls.Where(e => e.Name == "execve").ToList();
        Assert.Equal(2, execs.Count); // the launch, and the thread's
        Assert.All(execs, e => Assert.Equal(0, e.ReturnValue));
        Assert.All(execs, e => Assert.Equal(pid, e.ThreadId));
        // The main thread was in pause() when the exec replaced it: unfinished, reported once.
        Assert.Single(syscalls, e => e.Name == "pause" && e.Unfinished);
        Assert.DoesNotContain(syscalls, e => e.Name == "pause" && !e.Unfinished);
        // Afterwards the process is /bin/true.
        Assert.Equal("true", events.OfType<ProcessExitEvent>().Single(e => e.IsRoot).ProcessName);
        // Same counts as strace.
        Assert.Equal(StraceOracle.Count(program).OrderBy(k => k.Key), TraceRunner.CountByName(events).OrderBy(k => k.Key));
    }

    [Fact]
    public void DeathBySignalIsReported()
    {
        string program = TestPrograms.Compile(TestPrograms.Segfault, "");
        var (events, session) = TraceRunner.Run(program);
        Assert.Equal(128 + 11, session.ExitCode);
        Assert.Equal(11, session.TerminatingSignal);
        var signal = events.OfType<SignalEvent>().Single();
        Assert.Equal("SIGSEGV", signal.Signal);
        Assert.Equal("SEGV_MAPERR", signal.Code);
        Assert.Equal(16, signal.Value);
        var exit = events.OfType<ProcessExitEvent>().Single();
        Assert.Equal("SIGSEGV", exit.Signal);
        Assert.Equal(139, exit.ExitCode);
        Assert.IsType<ProcessExitEvent>(events[^1]);
    }

    [Fact]
    public void AttachToSleepThenDetachLeavesItRunning()
    {
        using var sleep = DetachedProcess.Start("sleep", "30");
        // Attach to sleep itself, asleep (not to the shell still starting it).
        for (var wait = Stopwatch.StartNew(); !(Comm(sleep.Id) == "sleep" && ProcState(sleep.Id) == "S") && wait.Elapsed < TimeSpan.FromSeconds(10); Thread.Sleep(10))
        {
        }
        using var session = TraceSession.Start(new TraceOptions { AttachProcessIds = new[] { sleep.Id } });
        var reader = Task.Run(() => session.ReadEvents().ToList());
        Thread.Sleep(300);
        session.Cancel();
        Assert.True(reader.Wait(TimeSpan.FromSeconds(5)), "detach did not finish");
        Assert.False(sleep.HasExited);
        // Sleeping again, not traced-stopped (a loaded machine may take a moment to run it).
        for (var wait = Stopwatch.StartNew(); ProcState(sleep.Id) != "S" && wait.Elapsed < TimeSpan.FromSeconds(2); Thread.Sleep(10))
        {
        }
        Assert.Equal("S", ProcState(sleep.Id));
        Assert.Equal("0", TracerPid(sleep.Id));
    }

    [Fact]
    public void AttachFollowsEveryThreadAndDetachLetsTheProcessFinish()
    {
        string program = TestPrograms.Compile(TestPrograms.BusyThreads);
        using var target = DetachedProcess.Start(program);
        // Attach once its four threads run (a loaded machine may take a while to start them).
        for (var wait = Stopwatch.StartNew(); ThreadCount(target.Id) < 5 && wait.Elapsed < TimeSpan.FromSeconds(10); Thread.Sleep(10))
        {
        }
        using var session = TraceSession.Start(new TraceOptions { AttachProcessIds = new[] { target.Id } });
        var reader = Task.Run(() => session.ReadEvents().ToList());
        Thread.Sleep(500);
        session.Cancel();
        Assert.True(reader.Wait(TimeSpan.FromSeconds(5)), "detach did not finish");
        var getppid = reader.Result.OfType<SyscallEvent>().Where(e => e.Name == "getppid").ToList();
        Assert.Equal(4, getppid.Select(e => e.ThreadId).Distinct().Count());
        Assert.All(getppid, e => Assert.Equal(target.Id, e.ProcessId));
        Assert.Equal(0, target.WaitForExit(TimeSpan.FromSeconds(10))); // detached cleanly: no stray signal, no stop left behind
    }

    [Fact]
    public void AttachToAnAlreadyTracedProcessIsDenied()
    {
        var psi = new ProcessStartInfo("strace") { RedirectStandardError = true };
        foreach (string a in new[] { "-o", "/dev/null", "sleep", "10" })
            psi.ArgumentList.Add(a);
        using var strace = Process.Start(psi)!;
        try
        {
            int sleepPid = 0;
            for (int i = 0; i < 500 && sleepPid == 0; i++)
            {
                Thread.Sleep(20);
                // strace forks short-lived probe children at start-up: wait for the one that is sleep.
                foreach (string c in File.ReadAllText($"/proc/{strace.Id}/task/{strace.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    try
                    {
                        if (File.ReadAllText($"/proc/{c}/comm").Trim() == "sleep" && TracerPid(int.Parse(c)) != "0")
                            sleepPid = int.Parse(c);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
            Assert.NotEqual(0, sleepPid);
            var e = Assert.Throws<TraceException>(() => TraceSession.Start(new TraceOptions { AttachProcessIds = new[] { sleepPid } }));
            Assert.Equal(TraceFailure.AttachDenied, e.Failure);
            Assert.Equal(sleepPid.ToString(), e.Target);
        }
        finally
        {
            strace.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void CancelKillsTheWholeTreeAndLeavesNoZombie()
    {
        using var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "sleep 60 & sleep 60 & wait") });
        var reader = Task.Run(() => session.ReadEvents().ToList());
        // Wait for both sleeps (a loaded machine may take a while to start them).
        int[] tree = Array.Empty<int>();
        for (var wait = Stopwatch.StartNew(); tree.Length < 3 && wait.Elapsed < TimeSpan.FromSeconds(10); Thread.Sleep(20))
            tree = Descendants(session.ProcessId).Append(session.ProcessId).ToArray();
        Assert.True(tree.Length >= 3, "the shell's children were not started");
        var sw = Stopwatch.StartNew();
        session.Cancel();
        Assert.True(reader.Wait(TimeSpan.FromSeconds(5)));
        // Every process of the tree is dead within a second. The launched process is our child and
        // is reaped by the tracer; its orphaned children are init's to reap (as with strace), so a
        // zombie whose parent is init counts as gone. No zombie may be a child of this process.
        while (tree.Any(IsLive) && sw.Elapsed < TimeSpan.FromSeconds(1))
            Thread.Sleep(10);
        Assert.All(tree, pid => Assert.False(IsLive(pid), $"process {pid} is still there after {sw.Elapsed}: {Describe(pid)}"));
        Assert.False(Directory.Exists($"/proc/{session.ProcessId}"), "the launched process was not reaped");
    }

    [Fact]
    public void StoppingTheConsumerKillsTheTracees()
    {
        int pid;
        using (var session = TraceSession.Start(new TraceOptions { Launch = TraceRunner.Launch("sh", "-c", "while :; do /bin/true; done") }))
        {
            pid = session.ProcessId;
            Assert.NotEmpty(session.ReadEvents().Take(200).ToList()); // a downstream stop after 200 events
        }
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    [Fact]
    public void AFailureInTheStopLoopKillsTheTreeAndSaysSo()
    {
        // The engine's own last line of defence: whatever goes wrong on the tracer thread, what it
        // launched is killed and reaped, and the consumer hears why.
        int stops = 0, root = 0;
        int[] tree = Array.Empty<int>();
        var options = new TraceOptions
        {
            Launch = TraceRunner.Launch("sh", "-c", "sleep 60 & while :; do /bin/true; done"),
            BeforeEachStopForTests = tid =>
            {
                if (root == 0)
                    root = tid;
                if (++stops == 2000)
                {
                    tree = Descendants(root).Append(root).ToArray();
                    throw new InvalidOperationException("a failure made by the test");
                }
            },
        };
        using var session = TraceSession.Start(options);
        var error = Assert.Throws<InvalidOperationException>(() => session.ReadEvents().Count());
        Assert.Contains("a failure made by the test", error.Message);
        Assert.True(tree.Length >= 2, "the shell's background sleep was not running: " + string.Join(", ", tree));
        var sw = Stopwatch.StartNew();
        while (tree.Any(IsLive) && sw.Elapsed < TimeSpan.FromSeconds(1))
            Thread.Sleep(10);
        Assert.All(tree, pid => Assert.False(IsLive(pid), $"process {pid} is still there after {sw.Elapsed}: {Describe(pid)}"));
        Assert.False(Directory.Exists($"/proc/{session.ProcessId}"), "the launched process was not reaped");
    }

    private static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int ThreadCount(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool IsLive(int pid)
    {
        string d = Describe(pid);
        return d != "gone" && !(d.Contains("zombie") && d.Contains("PPid:\t1,"));
    }

    private static string Describe(int pid)
    {
        try
        {
            return string.Join(", ", File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("State:") || l.StartsWith("PPid:") || l.StartsWith("TracerPid:")));
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    private static string ProcState(int pid)
        => File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("State:")).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1];

    private static string TracerPid(int pid)
        => File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("TracerPid:")).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1];

    private static IEnumerable<int> Descendants(int pid)
    {
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            string children = File.ReadAllText(Path.Combine(task, "children"));
            foreach (string c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int child = int.Parse(c);
                yield return child;
                foreach (int d in Descendants(child))
                    yield return d;
            }
        }
    }
}
