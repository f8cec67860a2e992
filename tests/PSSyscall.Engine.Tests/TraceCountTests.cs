namespace PSSyscall.Engine.Tests;

public class TraceCountTests
{
    [Theory]
    [InlineData("/bin/true")]
    [InlineData("cat", "/etc/hostname")]
    public void CountsEqualStrace(string command, params string[] args)
    {
        var expected = StraceOracle.Count(command, args);
        var (events, session) = TraceRunner.Run(command, args);
        var actual = TraceRunner.CountByName(events);
        Assert.Equal(0, session.ExitCode);
        Assert.Equal(expected.OrderBy(k => k.Key), actual.OrderBy(k => k.Key));
    }
}
