using PSSyscall.Engine.Tracing;
using Xunit.Abstractions;

namespace PSSyscall.Engine.Tests;

public class DecodeSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void TracesCatWithDecodedArguments()
    {
        var (events, _) = TraceRunner.Run(new PSSyscall.Engine.Tracing.TraceOptions { Launch = TraceRunner.Launch("cat", "/etc/hostname") });
        foreach (var e in events.OfType<SyscallEvent>())
            output.WriteLine(e.ToString());
        Assert.Contains(events.OfType<SyscallEvent>(), e => e.Name == "openat" && e.Path == "/etc/hostname" && e.Result.StartsWith("3</etc/hostname>"));
    }
}
