using System.Text;
using System.Text.Json;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>The fast paths of the readers give what the general parsers give.</summary>
public class TraceFileParsingTests
{
    [Theory]
    [InlineData("2026-11-22T15:21:14.6737480+00:00")]
    [InlineData("2026-11-22T15:21:14.673748+05:30")]
    [InlineData("2026-03-29T01:30:00-08:00")]
    [InlineData("2026-11-22T15:21:14.1Z")]
    [InlineData("2026-11-22T15:21:14")]
    [InlineData("0001-01-01T00:00:00")]
    [InlineData("2024-02-29T23:59:59.9999999Z")]
    public void FastTimestampsEqualTheGeneralParser(string text)
    {
        byte[] json = Encoding.UTF8.GetBytes("\"" + text + "\"");
        var reader = new Utf8JsonReader(json);
        reader.Read();
        Assert.True(FastDateTime.TryParse(reader.ValueSpan, out DateTime fast));
        DateTime general = reader.GetDateTime();
        Assert.Equal((general.Ticks, general.Kind), (fast.Ticks, fast.Kind));
    }

    [Theory]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-11-22 15:21:14")]
    [InlineData("2026-11-22T15:21:14.12345678Z")]
    [InlineData("2026-11-22T25:00:00Z")]
    public void OtherFormsAreLeftToTheGeneralParser(string text)
        => Assert.False(FastDateTime.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void ReadAheadGivesTheSameEventsAndErrorsInOrder()
    {
        string path = Path.Combine(Path.GetTempPath(), "pssyscall-readahead-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, 5000).Select(i => i % 997 == 5 ? "junk line " + i : $"1 getpid() = {i}"));
            var seq = new List<object>();
            var par = new List<object>();
            foreach (TraceEvent e in TraceFiles.Read([path], seq.Add))
                seq.Add(((SyscallEvent)e).ReturnValue);
            foreach (TraceEvent e in TraceFiles.Read([path], par.Add, readAhead: true))
                par.Add(((SyscallEvent)e).ReturnValue);
            Assert.Equal(5000, seq.Count);
            Assert.Equal(seq, par);

            // Stopping early ends the reader thread and closes the file.
            Assert.Equal(10, TraceFiles.Read([path], _ => { }, readAhead: true).Take(10).Count());
            File.Delete(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
