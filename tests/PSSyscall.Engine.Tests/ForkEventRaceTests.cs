using PSSyscall.Engine.Tracing;
using TraceOptions = PSSyscall.Engine.Tracing.TraceOptions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// A child's own stops and its parent's fork/vfork/clone event reach the tracer in either order.
/// A vfork child can stop, run and end before its parent's event is read; the trace must then not
/// take the event for a live child and wait for it forever (it did: a -DetachedTracer Pester test
/// hung under load).
/// </summary>
public sealed class ForkEventRaceTests : IClassFixture<WorkloadFixture>
{
    private readonly WorkloadFixture _w;

    public ForkEventRaceTests(WorkloadFixture workloads) => _w = workloads;

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // -DetachedTracer: the command is not our child, as in the hang
    public void ChildrenThatEndBeforeTheirParentsEventDoNotKeepTheTraceWaiting(bool orphan)
    {
        // The race needs the parent preempted between waking its child and stopping for its event:
        // busy threads on every CPU make that likely (the hang was seen under load).
        using var stop = new CancellationTokenSource();
        var busy = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() => { while (!stop.IsCancellationRequested) { } }) { IsBackground = true }).ToList();
        busy.ForEach(t => t.Start());
        using var session = TraceSession.Start(new TraceOptions { Launch = _w.Launch(Path.Combine(_w.Directory, "vforks"), []) with { Orphan = orphan } });
        var reading = Task.Run(() => session.ReadEvents().ToList());
        bool ended = reading.Wait(TimeSpan.FromSeconds(30));
        stop.Cancel();
        if (!ended)
            session.Cancel();
        Assert.True(ended, "the trace of 300 vfork children did not end");
        var events = reading.Result;
        Assert.Equal(300, events.OfType<SyscallEvent>().Count(e => e.Name == "vfork"));
        Assert.Equal(302, events.OfType<ProcessExitEvent>().Count());
    }
}
