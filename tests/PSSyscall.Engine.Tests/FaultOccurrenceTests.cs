using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall.Engine.Tests;

public class FaultOccurrenceTests
{
    [Theory]
    [InlineData("3", "3", new long[] { 3 }, new long[] { 1, 2, 4, 100 })]
    [InlineData("2..", "2+", new long[] { 2, 3, 1000 }, new long[] { 1 })]
    [InlineData("2+", "2+", new long[] { 2, 3, 65536 }, new long[] { 1 })]
    [InlineData("1..10+2", "1..10+2", new long[] { 1, 3, 5, 7, 9 }, new long[] { 2, 10, 11 })]
    [InlineData("2..10+2", "2..10+2", new long[] { 2, 4, 6, 8, 10 }, new long[] { 1, 3, 9, 12 })]
    [InlineData("3+3", "3+3", new long[] { 3, 6, 9, 300 }, new long[] { 1, 4, 5 })]
    [InlineData("2..4", "2..4", new long[] { 2, 3, 4 }, new long[] { 1, 5 })]
    [InlineData("2..4+", "2..4", new long[] { 2, 3, 4 }, new long[] { 1, 5 })]
    public void SelectsTheCallsStraceWould(string text, string canonical, long[] hits, long[] misses)
    {
        FaultOccurrence o = FaultOccurrence.Parse(text);
        Assert.Equal(canonical, o.ToString());
        Assert.All(hits, n => Assert.True(o.Contains(n), $"{text} should hit call {n}"));
        Assert.All(misses, n => Assert.False(o.Contains(n), $"{text} should not hit call {n}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("..3")]
    [InlineData("5..2")]
    [InlineData("1..2+0")]
    [InlineData("-1")]
    [InlineData("1+x")]
    [InlineData("1...3")]
    public void RejectsMalformedExpressions(string text)
    {
        var e = Assert.Throws<FaultException>(() => FaultOccurrence.Parse(text));
        Assert.Equal("InvalidOccurrence", e.ErrorId);
        Assert.Contains("first[..last][+[step]]", e.Message);
    }

    [Theory]
    [InlineData("200ms", 2_000_000)]
    [InlineData("1.5s", 15_000_000)]
    [InlineData("500us", 5_000)]
    [InlineData("00:00:00.2", 2_000_000)]
    public void ParsesDelays(string text, long ticks)
    {
        Assert.True(FaultDelay.TryParse(text, out TimeSpan t));
        Assert.Equal(ticks, t.Ticks);
    }

    [Theory]
    [InlineData("200")]
    [InlineData("fast")]
    [InlineData("-3ms")]
    public void RefusesDelaysWithoutAUnit(string text) => Assert.False(FaultDelay.TryParse(text, out _));
}
