using System.Text;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Seeded fuzzing of every reader with records from a real trace: mutated copies of real records and
/// random lines are put between the real ones. Whatever is put there, reading never throws, plain and
/// read-ahead reading agree, and every real record still comes back, in order. The same seed gives
/// the same files, so a failure is repeatable; the number of rounds bounds the time.
/// </summary>
public class TraceFileFuzzTests : IDisposable
{
    private const int Rounds = 40;

    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A real trace: strace's log of the workload (one thread traced, so every line stands
    /// alone), and the same events as our JSON Lines and CSV.</summary>
    private string RealTrace(string format)
    {
        string log = Path.Combine(_dir, "real.log");
        if (!File.Exists(log))
            TraceStoreWorkload.Strace("-tt", "-T", "-y", "-s", "64", "-o", log, TraceStoreWorkload.Program, _dir);
        if (format == "log")
            return log;
        string path = Path.Combine(_dir, "real." + format);
        if (!File.Exists(path))
        {
            var errors = new List<TraceFileError>();
            List<TraceEvent> events = TraceFiles.Read([log], errors.Add).ToList();
            Assert.Empty(errors);
            using TraceFileWriter writer = TraceFileWriter.Create(path, TraceFileWriter.FormatFromExtension(path), false, "fuzz");
            foreach (TraceEvent e in events)
                writer.Write(e);
        }
        return path;
    }

    /// <summary>What must come back of a record, whichever way it was stored.</summary>
    private static string Key(TraceEvent e) => e switch
    {
        SyscallEvent s => $"S {s.Name}({s.Arguments}) = {s.ReturnValue} {s.Errno}",
        SignalEvent g => $"G {g.Signal} {g.Code}",
        ProcessExitEvent x => $"X {x.ExitCode} {x.Signal}",
        _ => e.GetType().Name,
    };

    private static (List<TraceEvent> Events, List<TraceFileError> Errors) Read(string path, bool readAhead)
    {
        var errors = new List<TraceFileError>();
        return (TraceFiles.Read([path], errors.Add, readAhead).ToList(), errors);
    }

    [Theory]
    [InlineData("log", 1401)]
    [InlineData("jsonl", 1402)]
    [InlineData("csv", 1403)]
    public void EveryRealRecordComesBackWhateverIsPutBetweenThem(string format, int seed)
    {
        string real = RealTrace(format);
        string[] lines = File.ReadAllLines(real);
        // The head (JSON Lines header, CSV header row) stays first; records follow, one a line.
        int head = format == "log" ? 0 : 1;
        var (good, goodErrors) = Read(real, readAhead: false);
        Assert.Empty(goodErrors);
        Assert.Equal(lines.Length - head, good.Count);
        List<string> expected = good.Select(Key).ToList();

        var random = new Random(seed);
        int malformed = 0;
        for (int round = 0; round < Rounds; round++)
        {
            string path = Path.Combine(_dir, $"fuzz-{round}.{format}");
            using (var file = new FileStream(path, FileMode.Create))
            {
                for (int i = 0; i < lines.Length; i++)
                {
                    // Junk never comes before the first real record (a file of junk first is no trace
                    // at all, rightly), nor in the first bytes where the format is recognised.
                    if (i > head && random.Next(3) == 0)
                    {
                        int junk = 1 + random.Next(2);
                        for (int j = 0; j < junk; j++)
                            WriteLine(file, Junk(random, lines[head + random.Next(lines.Length - head)], rawBytes: file.Length > 8192));
                    }
                    WriteLine(file, Encoding.UTF8.GetBytes(lines[i]));
                }
            }

            var (plain, plainErrors) = Read(path, readAhead: false);
            var (ahead, aheadErrors) = Read(path, readAhead: true);
            Assert.Equal(plain.Select(Key), ahead.Select(Key));
            Assert.Equal(plainErrors, aheadErrors);
            Assert.DoesNotContain(plainErrors, e => e.Kind != TraceFileErrorKind.MalformedLine);
            AssertSubsequence(expected, plain.Select(Key).ToList(), $"round {round} of seed {seed}: {path}");
            malformed += plainErrors.Count;
        }
        // The junk reached the parsers as junk: a test that fed them nothing bad could not fail.
        Assert.True(malformed > Rounds * 10, $"{malformed} malformed lines in {Rounds} rounds");
    }

    private static void AssertSubsequence(List<string> expected, List<string> actual, string where)
    {
        int next = 0;
        foreach (string key in actual)
        {
            if (next < expected.Count && key == expected[next])
                next++;
        }
        Assert.True(next == expected.Count, $"{where}: the real record '{(next < expected.Count ? expected[next] : "")}' did not come back");
    }

    private static void WriteLine(Stream file, byte[] line)
    {
        file.Write(line);
        file.WriteByte((byte)'\n');
    }

    private const string Syntax = "\"',()[]{}<>=:;.\\ -+?*0123456789abcdefxyzABCDEFXYZ_\t";

    /// <summary>A line of junk: a real record mutated a few times, or random text, or (past the
    /// head, where the format has been recognised) random bytes, invalid UTF-8 and NULs included.</summary>
    private static byte[] Junk(Random random, string record, bool rawBytes)
    {
        switch (random.Next(rawBytes ? 8 : 7))
        {
            case 0:
                return Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, random.Next(1, 120)).Select(_ => Syntax[random.Next(Syntax.Length)]).ToArray()));
            case 7:
                byte[] bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return bytes.Select(b => b == (byte)'\n' ? (byte)0 : b).ToArray();
        }
        var s = new StringBuilder(record);
        for (int m = random.Next(1, 4); m > 0 && s.Length > 0; m--)
        {
            int at = random.Next(s.Length);
            switch (random.Next(5))
            {
                case 0: s.Length = at; break;                                                   // cut short
                case 1: s.Remove(at, 1); break;                                                 // a character lost
                case 2: s.Insert(at, Syntax[random.Next(Syntax.Length)]); break;                // a character more
                case 3: s[at] = Syntax[random.Next(Syntax.Length)]; break;                      // a character changed
                default: s.Insert(at, s.ToString(at, Math.Min(s.Length - at, random.Next(1, 30)))); break; // a run doubled
            }
        }
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    [Fact]
    public void MutatedProfilesParseOrGiveTheModulesErrorNeverAnotherException()
    {
        string text = File.ReadAllText(PSSyscall.Engine.Tests.Seccomp.SeccompProfileTests.DockerDefault);
        SeccompFilter real = SeccompProfile.Parse(text, "docker-default.json");
        Assert.NotEmpty(real.Rules);
        // Values a profile's fields may be given: right ones, wrong ones, wrong types.
        string[] values = ["\"SCMP_ACT_ERRNO\"", "\"SCMP_ACT_BOGUS\"", "\"SCMP_ARCH_X86\"", "\"SCMP_ARCH_BOGUS\"", "999999", "-1", "4095", "1e400",
            "18446744073709551616", "null", "[]", "{}", "\"\"", "true", "\"4.8\"", "\"x.y\"", "[\"CAP_SYS_ADMIN\"]", "[1]", "7", "\"SCMP_CMP_MASKED_EQ\""];
        var random = new Random(1404);
        int parsed = 0, refused = 0;
        for (int round = 0; round < 400; round++)
        {
            var s = new StringBuilder(text);
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                if (random.Next(2) == 0)
                {
                    // A field's value replaced: the text after a "key": up to the next , } or ].
                    int colon = text.IndexOf("\": ", random.Next(text.Length), StringComparison.Ordinal);
                    if (colon < 0 || colon + 3 >= s.Length)
                        continue;
                    int start = colon + 3;
                    int end = start;
                    if (s[start] is '"')
                        end = s.ToString().IndexOf('"', start + 1) + 1;
                    else
                        while (end < s.Length && s[end] is not (',' or '}' or ']' or '\n')) end++;
                    if (end <= start)
                        continue;
                    s.Remove(start, end - start).Insert(start, values[random.Next(values.Length)]);
                }
                else
                {
                    int at = random.Next(s.Length);
                    if (random.Next(2) == 0) s.Remove(at, 1);
                    else s.Insert(at, Syntax[random.Next(Syntax.Length)]);
                }
            }
            try
            {
                SeccompProfile.Parse(s.ToString(), "fuzz.json", null, new Version(6, 1));
                parsed++;
            }
            catch (SeccompException e)
            {
                Assert.False(string.IsNullOrEmpty(e.ErrorId));
                Assert.Contains("fuzz.json", e.Message);
                refused++;
            }
        }
        // Both outcomes happened: the mutations reach the checks, and most leave a usable profile.
        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }
}
