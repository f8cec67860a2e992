using System.Globalization;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// strace's -i (instruction pointer), -r/-t/-ttt (time prefixes) and -e read=/write= (hex dumps),
/// checked against strace 6.1 on the same workload (tests/workloads/io_dump_workload.c), and
/// through a round trip of strace text.
/// </summary>
public partial class StraceOutputOptionsTests : IDisposable
{
    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Lazy<string> Workload = new(() => TestPrograms.Compile(File.ReadAllText(TraceStoreWorkload.SourceFile("io_dump_workload.c"))));

    /// <summary>strace with its output in a file, the workload's stdio /dev/null (as TraceRunner's).</summary>
    private string Strace(string name, params string[] args)
    {
        string output = Path.Combine(_dir, name);
        TraceStoreWorkload.Run("sh", ["-c", "exec strace \"$@\" </dev/null >/dev/null 2>/dev/null", "strace", "-o", output, .. args]);
        Assert.True(new FileInfo(output).Length > 0, "strace wrote its log");
        return output;
    }

    [GeneratedRegex(@"^(\d+) +\[([0-9a-f]{16})\] (\w+)\(")]
    private static partial Regex IpLine();

    /// <summary>With address-space randomisation off (setarch -R) the workload's code sits at the same
    /// addresses under both tracers: every call's instruction pointer must be strace -i's.</summary>
    [Fact]
    public void InstructionPointersAreStraceIs()
    {
        string log = Strace("ip.log", "-f", "-i", "setarch", "x86_64", "-R", Workload.Value, _dir);
        var theirs = File.ReadLines(log).Select(l => IpLine().Match(l)).Where(m => m.Success)
            .Select(m => $"{m.Groups[3].Value} {m.Groups[2].Value}").ToList();
        var (events, _) = TraceRunner.Run("setarch", "x86_64", "-R", Workload.Value, _dir);
        var ours = events.OfType<SyscallEvent>().Select(e => $"{e.Name} {e.InstructionPointer:x16}").ToList();
        // After the workload's own execve (made from setarch's randomised code).
        theirs = theirs.Skip(theirs.FindLastIndex(l => l.StartsWith("execve ", StringComparison.Ordinal)) + 1).ToList();
        ours = ours.Skip(ours.FindLastIndex(l => l.StartsWith("execve ", StringComparison.Ordinal)) + 1).ToList();
        Assert.True(theirs.Count > 40, $"strace -i gave {theirs.Count} calls");
        Assert.Equal(theirs, ours);
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.NotEqual(0UL, e.InstructionPointer));
    }

    [GeneratedRegex(@"^(\d+) +(\d+)\.(\d{6}) (\[[0-9a-f?]{16}\] )?")]
    private static partial Regex RelativeLine();

    /// <summary>Written with -TimestampFormat Relative and -IncludeInstructionPointer, the text has
    /// strace -f -r -i's prefixes ("PID   SSSSSS.UUUUUU [IP] "), and reads back to the same
    /// RelativeTime and InstructionPointer.</summary>
    [Fact]
    public void RelativeTimesAndPointersRoundTripAsStraceWritesThem()
    {
        var (events, _) = TraceRunner.Run(Workload.Value, _dir);
        Assert.Contains(events, e => e.RelativeTime > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, events[0].RelativeTime);
        string path = Path.Combine(_dir, "ours.txt");
        using (TraceFileWriter w = TraceFileWriter.Create(path, TraceFileFormat.Strace, false, "", new StraceTextOptions { Timestamp = StraceTimestampFormat.Relative, InstructionPointer = true }))
            foreach (TraceEvent e in events)
                w.Write(e);

        // The prefixes are strace's: compare the shape of our lines with strace -f -r -i's own.
        string theirs = Strace("theirs.txt", "-f", "-r", "-i", Workload.Value, _dir);
        string Shape(string line)
        {
            Match m = RelativeLine().Match(line);
            return m.Success ? $"{m.Groups[1].Length}+{line.IndexOf('.') - m.Groups[1].Length}.{m.Groups[3].Length}{(m.Groups[4].Success ? " ip" : "")}" : "no match: " + line;
        }
        Assert.Equal(File.ReadLines(theirs).Select(Shape).Distinct().Order(), File.ReadLines(path).Select(Shape).Distinct().Order());

        var errors = new List<TraceFileError>();
        var back = TraceFiles.Read([path], errors.Add).ToList();
        Assert.Empty(errors);
        Assert.Equal(events.Count, back.Count);
        Assert.Equal(events.Select(e => e.RelativeTime), back.Select(e => e.RelativeTime));
        Assert.Equal(events.OfType<SyscallEvent>().Select(e => e.InstructionPointer), back.OfType<SyscallEvent>().Select(e => e.InstructionPointer));
    }

    /// <summary>strace's own -r -i log reads to the deltas and addresses it prints.</summary>
    [Fact]
    public void StracesRelativeLogReadsToItsDeltasAndPointers()
    {
        string log = Strace("r.txt", "-f", "-r", "-i", Workload.Value, _dir);
        var printed = File.ReadLines(log).Select(l => RelativeLine().Match(l)).Where(m => m.Success)
            .Select(m => new TimeSpan(long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond + long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 10))
            .ToList();
        var errors = new List<TraceFileError>();
        var events = TraceFiles.Read([log], errors.Add).ToList();
        Assert.Empty(errors);
        Assert.Equal(printed.Count, events.Count);
        Assert.Equal(printed, events.Select(e => e.RelativeTime));
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.NotEqual(0UL, e.InstructionPointer));
    }

    /// <summary>-ttt and -t prefixes as strace writes them, and -ttt reads back to the microsecond.</summary>
    [Theory]
    [InlineData(StraceTimestampFormat.UnixTime, @"^\d+ +\d{10}\.\d{6} \S")]
    [InlineData(StraceTimestampFormat.TimeOfDay, @"^\d+ +\d\d:\d\d:\d\d \S")]
    [InlineData(StraceTimestampFormat.None, @"^\d+ +[a-z+-]")]
    public void TimePrefixesAreStraces(StraceTimestampFormat format, string pattern)
    {
        var (events, _) = TraceRunner.Run(Workload.Value, _dir);
        string path = Path.Combine(_dir, "t.txt");
        using (TraceFileWriter w = TraceFileWriter.Create(path, TraceFileFormat.Strace, false, "", new StraceTextOptions { Timestamp = format }))
            foreach (TraceEvent e in events)
                w.Write(e);
        Assert.All(File.ReadLines(path), l => Assert.Matches(pattern, l));
        if (format == StraceTimestampFormat.UnixTime)
            Assert.Equal(events.Select(e => e.Timestamp.ToUniversalTime()), TraceFiles.Read([path], _ => { }).Select(e => e.Timestamp.ToUniversalTime()));
    }

    /// <summary>Each dumped call with its dump lines, in order: "name(fd\n | 00000  68 ...".</summary>
    private static List<string> DumpsOf(IEnumerable<string> lines)
    {
        var calls = new List<string>();
        foreach (string line in lines)
        {
            if (line.StartsWith(" | ", StringComparison.Ordinal) || line.StartsWith(" * ", StringComparison.Ordinal) || line.StartsWith(" = ", StringComparison.Ordinal))
            {
                calls[^1] += "\n" + line;
                continue;
            }
            Match m = CallHead().Match(line);
            calls.Add(m.Success ? m.Groups[1].Value : "");
        }
        return calls.Where(c => c.Contains('\n')).ToList();
    }

    [GeneratedRegex(@"^\d+ +(\w+\(\d+)")]
    private static partial Regex CallHead();

    /// <summary>-HexDumpRead/-HexDumpWrite * dump exactly what strace -e read=all -e write=all
    /// dumps, byte for byte and line for line: plain buffers, vectors (up to the first empty
    /// buffer), msghdr vectors, pread64/pwrite64, a failed write (dumped) and a failed read (not).</summary>
    [Fact]
    public void DumpsAreStracesLineForLine()
    {
        string log = Strace("dump.log", "-f", "-e", "read=all", "-e", "write=all", Workload.Value, _dir);
        var theirs = DumpsOf(File.ReadLines(log));
        var (events, _) = TraceRunner.Run(new TraceOptions
        {
            Launch = TraceRunner.Launch(Workload.Value, _dir),
            HexDumpRead = DescriptorSet.Everything,
            HexDumpWrite = DescriptorSet.Everything,
        });
        var ours = events.OfType<SyscallEvent>().Where(e => e.HexDump is not null)
            .Select(e => $"{e.Name}({e.Fd}\n{e.HexDump}").ToList();
        Assert.True(theirs.Count >= 12, $"strace dumped {theirs.Count} calls");
        Assert.Equal(theirs, ours);
        Assert.Contains(ours, d => d.StartsWith("write(99", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, d => d.StartsWith("read(99", StringComparison.Ordinal));

        // Round trip: strace text written by us, and strace's own log, read back to the same dumps.
        string path = Path.Combine(_dir, "ours.txt");
        using (TraceFileWriter w = TraceFileWriter.Create(path, TraceFileFormat.Strace, false, ""))
            foreach (TraceEvent e in events)
                w.Write(e);
        var errors = new List<TraceFileError>();
        Assert.Equal(events.OfType<SyscallEvent>().Select(e => e.HexDump), TraceFiles.Read([path], errors.Add).OfType<SyscallEvent>().Select(e => e.HexDump));
        Assert.Equal(ours, TraceFiles.Read([log], errors.Add).OfType<SyscallEvent>().Where(e => e.HexDump is not null).Select(e => $"{e.Name}({e.Fd}\n{e.HexDump}"));
        Assert.Empty(errors);
    }

    /// <summary>Only the descriptors asked for are dumped, reads and writes apart (strace -e read=3 -e write=5).</summary>
    [Fact]
    public void OnlyTheSelectedDescriptorsAreDumped()
    {
        string log = Strace("sel.log", "-f", "-e", "read=3", "-e", "write=5", Workload.Value, _dir);
        var (events, _) = TraceRunner.Run(new TraceOptions
        {
            Launch = TraceRunner.Launch(Workload.Value, _dir),
            HexDumpRead = DescriptorSet.Of([3]),
            HexDumpWrite = DescriptorSet.Of([5]),
        });
        var ours = events.OfType<SyscallEvent>().Where(e => e.HexDump is not null).Select(e => $"{e.Name}({e.Fd}\n{e.HexDump}").ToList();
        Assert.Equal(DumpsOf(File.ReadLines(log)), ours);
        Assert.Contains(ours, d => d.StartsWith("sendto(5", StringComparison.Ordinal));
        Assert.Contains(ours, d => d.StartsWith("readv(3", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, d => d.StartsWith("write(", StringComparison.Ordinal));
    }

    /// <summary>Without dumps asked for, no call carries one.</summary>
    [Fact]
    public void NoDumpsUnlessAsked()
    {
        var (events, _) = TraceRunner.Run(Workload.Value, _dir);
        Assert.Contains(events, e => e is SyscallEvent { Name: "write" });
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.Null(e.HexDump));
    }

    private static readonly Lazy<string> FdWorkload = new(() => TestPrograms.Compile(File.ReadAllText(TraceStoreWorkload.SourceFile("fd_details_workload.c"))));

    /// <summary>The descriptor annotations of each call line ("3</dev/null<char 1:3>>",
    /// "5<TCP:[127.0.0.1:PORT->127.0.0.1:PORT]>"), with inode and port numbers made names in order of
    /// appearance (they differ between runs, their pattern must not), the working directory left out.</summary>
    private static List<string> Annotations(IEnumerable<string> lines)
    {
        var numbers = new Dictionary<string, string>();
        var result = new List<string>();
        foreach (string line in lines)
        {
            foreach (Match m in Annotation().Matches(line))
            {
                // the annotation, not the descriptor's number (the strace run may inherit one more)
                // (a pid of any length: pids wrap at pid_max, 32768 here, so one may have 3 digits)
                string text = Regex.Replace(m.Groups[1].Value, @"\d{4,}|(?<=^pid:)\d+", n => numbers.TryGetValue(n.Value, out string? name) ? name : numbers[n.Value] = "N" + numbers.Count.ToString(CultureInfo.InvariantCulture));
                result.Add(text);
            }
        }
        return result;
    }

    [GeneratedRegex(@"\d+<(pid:\d+|/dev/[^<>]*<[^<>]*>|(TCP|TCPv6|UDP|UDPv6|UNIX|UNIX-STREAM|NETLINK|socket|pipe):\[(\[[^\]]*\]|[^\[\]])*\])>")]
    private static partial Regex Annotation();

    /// <summary>-FdDecoding All is strace -yy: TCP/UDP endpoints (v4 and v6) as they change with bind,
    /// listen, connect and accept, UNIX pairs and paths, NETLINK protocol and port id, device numbers,
    /// in the same places of the same calls.</summary>
    [Fact]
    public void DescriptorDetailsAreStraceYys()
    {
        string log = Strace("yy.log", "-f", "-yy", FdWorkload.Value, _dir);
        var theirs = Annotations(File.ReadLines(log));
        var (events, _) = TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(FdWorkload.Value, _dir), FdDecoding = FdDecoding.All });
        string path = Path.Combine(_dir, "ours.txt");
        using (TraceFileWriter w = TraceFileWriter.Create(path, TraceFileFormat.Strace, false, ""))
            foreach (TraceEvent e in events)
                w.Write(e);
        var ours = Annotations(File.ReadLines(path));
        Assert.Contains(theirs, a => a.StartsWith("TCP:[127.0.0.1:N", StringComparison.Ordinal) && a.Contains("->", StringComparison.Ordinal));
        Assert.Contains(theirs, a => Regex.IsMatch(a, @"^TCPv6:\[\[::1\]:N\d+->\[::1\]:N\d+\]$"));
        Assert.Contains(theirs, a => Regex.IsMatch(a, @"^UNIX-STREAM:\[N\d+->N\d+,"""));
        Assert.Contains(theirs, a => a.StartsWith("NETLINK:[ROUTE:", StringComparison.Ordinal));
        Assert.Contains(theirs, a => a == "/dev/null<char 1:3>");
        Assert.Contains(theirs, a => a.StartsWith("pid:N", StringComparison.Ordinal));
        Assert.Equal(theirs, ours);
        // and -P still matches a device by its path
        var (filtered, _) = TraceRunner.Run(new TraceOptions
        {
            Launch = TraceRunner.Launch(FdWorkload.Value, _dir),
            FdDecoding = FdDecoding.All,
            Filter = SyscallFilter.Create(null, SyscallClass.None, null, ResultFilter.All, ["/dev/null"]),
        });
        Assert.Equal(["openat", "write", "close"], filtered.OfType<SyscallEvent>().Select(e => e.Name));
    }

    /// <summary>Without -FdDecoding, sockets and devices show as strace -y shows them.</summary>
    [Fact]
    public void PathDecodingIsStraceY()
    {
        var (events, _) = TraceRunner.Run(FdWorkload.Value, _dir);
        var calls = events.OfType<SyscallEvent>().ToList();
        Assert.Contains(calls, e => e.Name == "write" && e.Arguments.StartsWith("3</dev/null>,", StringComparison.Ordinal));
        Assert.Contains(calls, e => e.Name == "listen" && Regex.IsMatch(e.Arguments, @"^\d+<socket:\[\d+\]>, "));
    }

    /// <summary>Each call with its frames, in order ("write\n > /usr/lib/.../libc.so.6(__write+0x10) [0xf8350]...").</summary>
    private static List<string> StacksOf(IEnumerable<string> lines)
    {
        var calls = new List<string>();
        foreach (string line in lines)
        {
            if (line.StartsWith(" > ", StringComparison.Ordinal))
            {
                if (calls.Count > 0)
                    calls[^1] += "\n" + line[3..];
                continue;
            }
            Match m = Regex.Match(line, @"^\d+ +(\w+)\(");
            if (m.Success)
                calls.Add(m.Groups[1].Value);
        }
        return calls;
    }

    /// <summary>-StackTrace is strace -k: every call's frames, module, symbol, offsets and all, equal
    /// to those strace 6.1 prints for the same calls of the same program (Debian's strace unwinds
    /// with libunwind, we with libdw: the frames must agree anyway). The program's calls after its
    /// own execve are compared (the execve's own stack is ld.so's start, the same too).</summary>
    [Fact]
    public void StackTracesAreStraceKs()
    {
        string log = Strace("k.log", "-f", "-k", Workload.Value, _dir);
        var theirs = StacksOf(File.ReadLines(log));
        var (events, session) = TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(Workload.Value, _dir), StackTrace = true });
        var calls = events.OfType<SyscallEvent>().ToList();
        var ours = calls.Select(e => e.StackTrace is null ? e.Name : e.Name + "\n" + e.StackTrace).ToList();
        Assert.True(theirs.Count > 40, $"strace -k gave {theirs.Count} calls");
        Assert.All(calls, e => Assert.False(string.IsNullOrEmpty(e.StackTrace), $"{e.Name} has no stack"));
        Assert.Contains(ours, s => s.StartsWith("writev\n", StringComparison.Ordinal) && s.Contains(Workload.Value + "(main+0x", StringComparison.Ordinal));
        Assert.Equal(theirs, ours);
        Assert.Equal(0, session.TracerCaptureFailures);

        // strace text keeps the frames, as " > " lines after the call
        string path = Path.Combine(_dir, "ours.txt");
        using (TraceFileWriter w = TraceFileWriter.Create(path, TraceFileFormat.Strace, false, ""))
            foreach (TraceEvent e in events)
                w.Write(e);
        Assert.Equal(calls.Select(e => e.StackTrace), TraceFiles.Read([path], _ => { }).OfType<SyscallEvent>().Select(e => e.StackTrace));
    }

    /// <summary>On the seccomp fast path (-Name) the unreported mapping calls still stop, so the
    /// selected calls' stacks are those of a full trace.</summary>
    [Fact]
    public void StackTracesOnTheFastPathAreTheFullTracesOnes()
    {
        var (full, _) = TraceRunner.Run(new TraceOptions { Launch = TraceRunner.Launch(Workload.Value, _dir), StackTrace = true });
        var (fast, _) = TraceRunner.Run(new TraceOptions
        {
            Launch = TraceRunner.Launch(Workload.Value, _dir),
            StackTrace = true,
            Filter = SyscallFilter.Create(["write", "writev", "pread64"]),
            UseSeccompStops = true,
        });
        var expected = full.OfType<SyscallEvent>().Where(e => e.Name is "write" or "writev" or "pread64").Select(e => e.Name + "\n" + e.StackTrace).ToList();
        Assert.True(expected.Count > 5);
        Assert.Equal(expected, fast.OfType<SyscallEvent>().Select(e => e.Name + "\n" + e.StackTrace));
    }

    [Fact]
    public void NoStacksUnlessAsked()
    {
        var (events, _) = TraceRunner.Run(Workload.Value, _dir);
        Assert.Contains(events, e => e is SyscallEvent);
        Assert.All(events.OfType<SyscallEvent>(), e => Assert.Null(e.StackTrace));
    }
}
