using System.Reflection;
using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>Events written to JSON Lines and CSV read back equal, property by property.</summary>
public class TraceFileRoundTripTests : IDisposable
{
    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A real trace of the varied workload, plus events that set what a plain trace leaves
    /// at defaults (paths, fds, classes, faults, foreign ABIs, signals with values, kills).</summary>
    private List<TraceEvent> Workload()
    {
        var (events, _) = TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(TraceStoreWorkload.Program, _dir) });
        Assert.Contains(events, e => e is SyscallEvent { Errno: "ENOENT" });
        Assert.Contains(events, e => e is SignalEvent);
        Assert.Contains(events, e => e is ProcessExitEvent { ExitCode: 3 });
        DateTime t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local).AddTicks(1234567);
        events.Add(new SyscallEvent
        {
            Timestamp = t, ProcessId = 10, ThreadId = 11, ProcessName = "we,ird \"name\"", Name = "openat", Number = 257,
            Arguments = "AT_FDCWD</tmp>, \"/tmp/a \\\"b\\\",c\\n\", O_RDONLY|O_CLOEXEC \u0001\t\\ é€\U0001D11E /", ReturnValue = -1, Errno = "ENOSPC",
            Duration = new TimeSpan(1234567), Path = "/tmp/a \"b\",c\n", Fd = -100, Class = SyscallClass.File | SyscallClass.Desc,
            Injected = true, Fault = "error=ENOSPC", Argument0 = ulong.MaxValue, Argument1 = 0x7ffd_1234_5678, Argument5 = 1,
        });
        events.Add(new SyscallEvent
        {
            Timestamp = t.ToUniversalTime(), ProcessId = 12, ThreadId = 12, Name = "getpid", Number = 20, Architecture = SyscallArchitecture.I386,
            Arguments = "", ReturnValue = 12, Path = "", Fd = 0, Unfinished = false, Errno = null, ProcessName = "",
        });
        events.Add(new SyscallEvent { Timestamp = t, Name = "exit_group", Number = 231, Arguments = "0", Unfinished = true, Architecture = SyscallArchitecture.X32 });
        events.Add(new SignalEvent { Timestamp = t, ProcessId = 1, ThreadId = 2, Signal = "SIGSEGV", SignalNumber = 11, Code = "SEGV_MAPERR", Value = long.MinValue, SenderProcessId = -5, SenderUserId = 1000 });
        events.Add(new ProcessExitEvent { Timestamp = t, ProcessId = 1, ThreadId = 1, Signal = "SIGSEGV", ExitCode = 139, CoreDumped = true, IsRoot = true, ProcessName = "crash" });
        return events;
    }

    private static void AssertEqualEvents(IReadOnlyList<TraceEvent> expected, IReadOnlyList<TraceEvent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].GetType(), actual[i].GetType());
            foreach (PropertyInfo p in expected[i].GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                object? want = p.GetValue(expected[i]);
                object? got = p.GetValue(actual[i]);
                if (want is DateTime wt && got is DateTime gt)
                {
                    // Exact ticks, and the same instant whatever the kind.
                    Assert.True(wt.ToUniversalTime() == gt.ToUniversalTime() && wt.Kind == gt.Kind, $"event {i} {p.Name}: {wt:o} != {gt:o}");
                    continue;
                }
                Assert.True(Equals(want, got), $"event {i} ({expected[i]}) {p.Name}: '{want}' != '{got}'");
            }
        }
    }

    private List<TraceEvent> WriteAndRead(List<TraceEvent> events, TraceFileFormat format, string file, List<TraceFileError> errors)
    {
        string path = Path.Combine(_dir, file);
        using (TraceFileWriter writer = TraceFileWriter.Create(path, format, append: false, "trace_store_workload"))
            foreach (TraceEvent e in events)
                writer.Write(e);
        List<TraceEvent> read = TraceFiles.Read([path], errors.Add).ToList();
        // Read ahead (chunks parsed on several threads), the same events and errors come in the same order.
        var aheadErrors = new List<TraceFileError>();
        AssertEqualEvents(read, TraceFiles.Read([path], aheadErrors.Add, readAhead: true).ToList());
        Assert.Equal(errors, aheadErrors);
        return read;
    }

    [Fact]
    public void JsonLinesRoundTripIsLossless()
    {
        List<TraceEvent> events = Workload();
        var errors = new List<TraceFileError>();
        List<TraceEvent> read = WriteAndRead(events, TraceFileFormat.JsonLines, "t.jsonl", errors);
        Assert.Empty(errors);
        AssertEqualEvents(events, read);

        // Lines not in the writer's exact layout go to the general JSON reader: the same events.
        string spaced = Path.Combine(_dir, "spaced.jsonl");
        File.WriteAllLines(spaced, File.ReadLines(Path.Combine(_dir, "t.jsonl")).Select(line => "{ " + line[1..]));
        AssertEqualEvents(events, TraceFiles.Read([spaced], errors.Add).ToList());
        Assert.Empty(errors);

        string header = File.ReadLines(Path.Combine(_dir, "t.jsonl")).First();
        Assert.StartsWith("{\"Format\":\"PSSyscall.TraceEvents\",\"Version\":1,\"Command\":\"trace_store_workload\",\"Host\":", header);
        Assert.Contains("\"StartTime\":", header);
    }

    [Fact]
    public void CsvRoundTripKeepsEveryColumn()
    {
        List<TraceEvent> events = Workload();
        var errors = new List<TraceFileError>();
        List<TraceEvent> read = WriteAndRead(events, TraceFileFormat.Csv, "t.csv", errors);
        Assert.Empty(errors);
        AssertEqualEvents(events, read);
    }

    [Fact]
    public void CsvIsQuotedLikeExportCsv()
    {
        string path = Path.Combine(_dir, "q.csv");
        using (TraceFileWriter writer = TraceFileWriter.Create(path, TraceFileFormat.Csv, append: false, ""))
            writer.Write(new SyscallEvent { Name = "openat", Arguments = "a \"b\", c", ProcessName = "", Errno = null, Fd = null, Timestamp = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc) });
        string[] lines = File.ReadAllLines(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.False(bytes[0] == 0xEF, "no byte order mark");
        Assert.DoesNotContain((byte)'\r', bytes);
        // Header: property names in PowerShell's order, each quoted; no #TYPE line.
        Assert.StartsWith("\"EventType\",\"Name\",\"Number\",\"Architecture\",\"Arguments\",\"ReturnValue\",\"Errno\",\"Duration\",", lines[0]);
        Assert.Contains("\"Timestamp\",\"ProcessId\",\"ThreadId\",\"ProcessName\"", lines[0]);
        // Every value quoted, quotes doubled, null as an empty unquoted field, "" quoted.
        // (Duration, then DurationMicroseconds; Unfinished, Detached, Unavailable, Status.)
        Assert.StartsWith("\"Syscall\",\"openat\",\"0\",\"X86_64\",\"a \"\"b\"\", c\",\"0\",,\"00:00:00\",\"0\",\"False\",\"False\",\"False\",\"Successful\",,,\"None\",\"False\",,", lines[1]);
        Assert.Contains("\"2026-01-02T00:00:00.0000000Z\",\"0\",\"0\",\"\"", lines[1]);
    }

    [Fact]
    public void StraceTextWriterOutputReadsBack()
    {
        List<TraceEvent> events = Workload();
        var errors = new List<TraceFileError>();
        List<TraceEvent> read = WriteAndRead(events, TraceFileFormat.Strace, "t.txt", errors);
        Assert.Empty(errors);
        Assert.Equal(events.Count, read.Count);
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i].EventType, read[i].EventType);
            Assert.Equal(events[i].ThreadId, read[i].ThreadId);
            // strace -tt keeps the time of day to the microsecond; the date comes from the file.
            Assert.Equal(events[i].Timestamp.ToLocalTime().TimeOfDay.Ticks / 10, read[i].Timestamp.TimeOfDay.Ticks / 10);
            if (events[i] is SyscallEvent a && read[i] is SyscallEvent b)
            {
                Assert.Equal((a.Name, a.Arguments, a.ReturnValue, a.Errno, a.Unfinished, a.Architecture, a.Injected),
                             (b.Name, b.Arguments, b.ReturnValue, b.Errno, b.Unfinished, b.Architecture, b.Injected));
                Assert.Equal(a.Duration.Ticks / 10, b.Duration.Ticks / 10);
            }
        }
    }

    [Fact]
    public void AppendAddsEventsWithoutASecondHeader()
    {
        var one = new SyscallEvent { Name = "getpid", Arguments = "", ReturnValue = 1 };
        foreach (TraceFileFormat format in Enum.GetValues<TraceFileFormat>())
        {
            string path = Path.Combine(_dir, "append." + format);
            for (int i = 0; i < 2; i++)
                using (TraceFileWriter w = TraceFileWriter.Create(path, format, append: true, ""))
                    w.Write(one);
            var errors = new List<TraceFileError>();
            Assert.Equal(2, TraceFiles.Read([path], errors.Add).Count());
            Assert.Empty(errors);
        }
    }
}
