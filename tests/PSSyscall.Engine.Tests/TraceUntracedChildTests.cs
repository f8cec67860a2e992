using PSSyscall.Engine.Tests.Sandbox;
using PSSyscall.Engine.Tracing;
using TraceOptions = PSSyscall.Engine.Tracing.TraceOptions;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// A child made with CLONE_UNTRACED is no tracee: the tracer cannot see or kill it (issue 12,
/// cause 8). The traced command's tree runs in a guarded cgroup, so the child still ends when the
/// pipeline stops the trace, on Ctrl+C (the same Cancel) and when the trace ends.
/// </summary>
public class TraceUntracedChildTests
{
    [Fact]
    public void AnUntracedChildEndsWhenTheTraceIsCancelled()
    {
        string marker = "untraced-" + Guid.NewGuid().ToString("N");
        try
        {
            var session = TraceSession.Start(new TraceOptions
            {
                Launch = new LaunchOptions { FilePath = SandboxRunner.Escape, Arguments = ["untraced", marker] },
            });
            var seen = new List<TraceEvent>();
            int untraced = 0;
            using (session)
            {
                foreach (TraceEvent e in session.ReadEvents())
                {
                    seen.Add(e);
                    // The parent's write of "untraced <pid>" is the sign the child exists.
                    if (e is SyscallEvent { Name: "write" } && (untraced = SandboxHardeningTests.WaitFor(
                            () => SandboxRunner.LiveProcessesWith(marker), f => f.Count >= 2).Count) >= 2)
                        break; // as Select-Object -First does: the consumer stops reading
                }
                // The control: two processes carry the marker, and only the parent is traced.
                Assert.Equal(2, untraced);
                List<int> live = SandboxRunner.LiveProcessesWith(marker);
                int child = live.Single(p => p != session.ProcessId);
                Assert.DoesNotContain(seen, e => e.ProcessId == child);
                session.Cancel();
                Assert.True(session.WaitForExit(TimeSpan.FromSeconds(10)));
            }
            List<int> left = SandboxHardeningTests.WaitFor(() => SandboxRunner.LiveProcessesWith(marker), f => f.Count == 0);
            Assert.Empty(left);
        }
        finally
        {
            SandboxHardeningTests.KillAll(marker);
        }
    }
}
