using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>Bad files give clear errors (file, line, why) and every good event still comes out.</summary>
public class TraceFileBadInputTests : IDisposable
{
    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (List<TraceEvent> Events, List<TraceFileError> Errors) Read(params string[] files)
    {
        var errors = new List<TraceFileError>();
        return (TraceFiles.Read(files, errors.Add).ToList(), errors);
    }

    private string Good(string name, int count)
    {
        string path = Path.Combine(_dir, name);
        using TraceFileWriter w = TraceFileWriter.Create(path, TraceFileWriter.FormatFromExtension(path), false, "test");
        for (int i = 0; i < count; i++)
            w.Write(new SyscallEvent { Name = "getpid", Arguments = "", ReturnValue = i, ProcessId = 7, ThreadId = 7, Timestamp = DateTime.Now });
        return path;
    }

    [Fact]
    public void MissingEmptyAndBinaryFilesAreReportedAndTheGoodFileStillReads()
    {
        string missing = Path.Combine(_dir, "missing.jsonl");
        string empty = Path.Combine(_dir, "empty.jsonl");
        string junk = Path.Combine(_dir, "junk.bin");
        File.WriteAllBytes(empty, []);
        var bytes = new byte[10000];
        new Random(42).NextBytes(bytes);
        bytes[10] = 0;
        File.WriteAllBytes(junk, bytes);
        string good = Good("good.jsonl", 3);

        var (events, errors) = Read(missing, empty, junk, good);
        Assert.Equal(3, events.Count);
        Assert.Equal([TraceFileErrorKind.NotFound, TraceFileErrorKind.EmptyFile, TraceFileErrorKind.NotATraceFile], errors.Select(e => e.Kind));
        Assert.Equal([missing, empty, junk], errors.Select(e => e.FilePath));
        Assert.Contains("binary", errors[2].Message);
    }

    [Theory]
    [InlineData("cut.jsonl")]
    [InlineData("cut.csv")]
    [InlineData("cut.txt")]
    public void ATruncatedLastLineIsOneErrorAfterTheGoodEvents(string name)
    {
        string path = Good(name, 5);
        byte[] content = File.ReadAllBytes(path);
        int lastLineStart = Array.LastIndexOf(content, (byte)'\n', content.Length - 2) + 1;
        File.WriteAllBytes(path, content[..(lastLineStart + (content.Length - lastLineStart) / 2)]);
        var (events, errors) = Read(path);
        Assert.Equal(4, events.Count);
        TraceFileError error = Assert.Single(errors);
        Assert.Equal(TraceFileErrorKind.MalformedLine, error.Kind);
        Assert.Equal(File.ReadAllLines(path).Length, error.LineNumber);
        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void AMalformedLineInTheMiddleIsSkippedAndNamed()
    {
        string path = Path.Combine(_dir, "mid.txt");
        File.WriteAllLines(path, ["1 getpid() = 1", "1 this is not strace output", "1 getppid() = 0", "1 close(3 = 0"]);
        var (events, errors) = Read(path);
        Assert.Equal(["getpid", "getppid"], events.OfType<SyscallEvent>().Select(e => e.Name));
        Assert.Equal([2L, 4L], errors.Select(e => e.LineNumber));

        string json = Path.Combine(_dir, "mid.jsonl");
        File.WriteAllLines(json, ["{\"EventType\":\"Syscall\",\"Name\":\"a\"}", "{\"EventType\":\"Syscall\",\"ReturnValue\":\"x\"}", "{\"EventType\":\"Nope\"}", "[1]", "{\"EventType\":\"Syscall\",\"Name\":\"b\"}"]);
        (events, errors) = Read(json);
        Assert.Equal(["a", "b"], events.OfType<SyscallEvent>().Select(e => e.Name));
        Assert.Equal([2L, 3L, 4L], errors.Select(e => e.LineNumber));
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    public void ReadAheadReportsTheSameErrorsInOrderAmongThousandsOfEvents(string kind)
    {
        // Enough lines for many chunks on several parser threads; bad lines scattered, a cut last line.
        string path = Path.Combine(_dir, "many." + kind);
        var lines = new List<string>();
        if (kind == "csv")
            lines.Add("\"EventType\",\"Name\",\"ReturnValue\",\"Arguments\"");
        for (int i = 0; i < 20000; i++)
        {
            if (i % 1499 == 7)
                lines.Add(kind == "csv" ? $"\"Syscall\",\"bad\",\"x{i}\",\"\"" : $"{{\"EventType\":\"Syscall\",\"ReturnValue\":\"x{i}\"}}");
            else if (i % 3 == 0)
                lines.Add(kind == "csv" ? $"\"Syscall\",\"write\",\"{i}\",\"1, \"\"a\nb\"\", 3\"" : $"{{\"EventType\":\"Syscall\",\"Name\":\"write\",\"ReturnValue\":{i},\"Arguments\":\"1, \\\"a\\nb\\\", 3\"}}");
            else
                lines.Add(kind == "csv" ? $"\"Syscall\",\"getpid\",\"{i}\",\"\"" : $"{{\"EventType\":\"Syscall\",\"Name\":\"getpid\",\"ReturnValue\":{i}}}");
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n" + (kind == "csv" ? "\"Syscall\",\"getpid" : "{\"EventType\":\"Sys"));

        var (plain, plainErrors) = Read(path);
        var aheadErrors = new List<TraceFileError>();
        var ahead = TraceFiles.Read([path], aheadErrors.Add, readAhead: true).ToList();
        Assert.Equal(20000 - 14, plain.Count);
        Assert.Equal(plain.Select(e => ((SyscallEvent)e).ReturnValue), ahead.Select(e => ((SyscallEvent)e).ReturnValue));
        Assert.Equal(plain.Select(e => ((SyscallEvent)e).Arguments), ahead.Select(e => ((SyscallEvent)e).Arguments));
        Assert.Equal(15, plainErrors.Count);
        Assert.Contains("cut short", plainErrors[^1].Message);
        Assert.Equal(plainErrors, aheadErrors);

        // Stopping early (Select-Object -First) ends the reader and parser threads and closes the file.
        using (IEnumerator<TraceEvent> reading = TraceFiles.Read([path], _ => { }, readAhead: true).GetEnumerator())
        {
            Assert.True(reading.MoveNext());
            Assert.Contains(Directory.GetFiles("/proc/self/fd"), fd => ReadLink(fd) == path);
        }
        Assert.DoesNotContain(Directory.GetFiles("/proc/self/fd"), fd => ReadLink(fd) == path);
    }

    private static string? ReadLink(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed meanwhile
        }
    }

    [Theory]
    [InlineData("readme.jsonl", "{ this is not JSON")]
    [InlineData("readme.csv", "\"a\",\"b\"")]
    public void ReadAheadGivesUpOnANonTraceAsAPlainReadDoes(string name, string line)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, Enumerable.Range(0, 5000).Select(_ => line));
        var (events, errors) = Read(path);
        var aheadErrors = new List<TraceFileError>();
        Assert.Empty(TraceFiles.Read([path], aheadErrors.Add, readAhead: true));
        Assert.Empty(events);
        Assert.Equal(TraceFileErrorKind.NotATraceFile, errors[^1].Kind);
        Assert.True(errors.Count <= 21, $"{errors.Count} errors");
        Assert.Equal(errors, aheadErrors);
    }

    [Fact]
    public void TextThatIsNoTraceStopsAfterAFewLines()
    {
        string path = Path.Combine(_dir, "readme.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 1000).Select(i => $"Line {i} of some prose."));
        var (events, errors) = Read(path);
        Assert.Empty(events);
        Assert.Equal(TraceFileErrorKind.NotATraceFile, errors[^1].Kind);
        Assert.True(errors.Count <= 21);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnUnbalancedQuoteInACsvRowCostsThatRowNotTheRestOfTheFile(bool readAhead)
    {
        string path = Good("quote.csv", 3000);
        var lines = File.ReadAllLines(path).ToList();
        int header = lines.FindIndex(l => l.StartsWith("\"EventType\"", StringComparison.Ordinal) || l.StartsWith("EventType", StringComparison.Ordinal));
        Assert.True(header >= 0, "the writer wrote a header row");
        // Row 1000 loses a closing quote: its quoted field stays open over the line break.
        int bad = header + 1000;
        int quote = lines[bad].IndexOf("\",", StringComparison.Ordinal);
        lines[bad] = lines[bad].Remove(quote, 1);
        // A legitimate multi-line field further on still reads as one row.
        lines[bad + 500] = lines[bad + 500].Replace("\"getpid\"", "\"get\npid\"");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var errors = new List<TraceFileError>();
        var events = TraceFiles.Read([path], errors.Add, readAhead).ToList();
        Assert.Equal(2999, events.Count);
        TraceFileError error = Assert.Single(errors);
        Assert.Equal((TraceFileErrorKind.MalformedLine, bad + 1L), (error.Kind, error.LineNumber));
        Assert.Contains("not closed", error.Message);
        Assert.Contains(events, e => e is SyscallEvent { Name: "get\npid" });
        Assert.Equal(Enumerable.Range(0, 3000).Where(i => i != 999).Select(i => (long)i), events.Select(e => ((SyscallEvent)e).ReturnValue));
    }

    [Theory]
    [InlineData("prose.txt", 1000)]
    [InlineData("prose.txt", 5)]
    [InlineData("rows.csv", 1000)]
    [InlineData("objects.jsonl", 1000)]
    public void AFileThatIsNoTraceIsOneClearError(string name, int lineCount)
    {
        string path = Path.Combine(_dir, name);
        string line = name.EndsWith(".csv", StringComparison.Ordinal) ? "1,2,3" : name.EndsWith(".jsonl", StringComparison.Ordinal) ? "[1, 2]" : "Some prose, not strace output.";
        IEnumerable<string> body = Enumerable.Range(0, lineCount).Select(_ => line);
        File.WriteAllLines(path, name.EndsWith(".csv", StringComparison.Ordinal) ? body.Prepend("A,B,C") : body);
        foreach (bool readAhead in new[] { false, true })
        {
            var errors = new List<TraceFileError>();
            Assert.Empty(TraceFiles.Read([path], errors.Add, readAhead));
            TraceFileError error = Assert.Single(errors);
            Assert.Equal((TraceFileErrorKind.NotATraceFile, path), (error.Kind, error.FilePath));
            Assert.Contains("does not look like a trace", error.Message);
            Assert.Contains(lineCount < NotATraceRule.GiveUpAfter ? "None of its 5" : "None of its first 20", error.Message);
        }
    }

    [Fact]
    public void UnfinishedCallsOfMoreThreadsThanAMachineHasAreHandedOnNotHeld()
    {
        // 70,000 threads each with a call that never resumes: held, they would grow without bound.
        string path = Path.Combine(_dir, "open.log");
        File.WriteAllLines(path, Enumerable.Range(1, 70000).Select(tid => $"{tid} read(3,  <unfinished ...>").Append("1 getpid() = 1"));
        var (events, errors) = Read(path);
        Assert.Empty(errors);
        Assert.Equal(70001, events.Count);
        Assert.Equal(70000, events.OfType<SyscallEvent>().Count(e => e.Unfinished && e.Name == "read"));
        Assert.Equal(Enumerable.Range(1, 70000), events.OfType<SyscallEvent>().Where(e => e.Unfinished).Select(e => e.ThreadId).Order());
    }

    [Fact]
    public void AJsonDocumentIsOneErrorThatSaysWhatItIs()
    {
        string path = Path.Combine(_dir, "converted.json");
        File.WriteAllText(path, "[\n  {\n    \"EventType\": \"Syscall\",\n    \"Name\": \"getpid\"\n  }\n]\n");
        var (events, errors) = Read(path);
        Assert.Empty(events);
        TraceFileError error = Assert.Single(errors);
        Assert.Equal(TraceFileErrorKind.NotATraceFile, error.Kind);
        Assert.Contains("ConvertTo-Json", error.Message);
    }
}
