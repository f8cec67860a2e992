using System.Diagnostics;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Engine.Tests;

/// <summary>
/// Input that is endless or no file at all is bounded by the reader's user: a FIFO that no one writes
/// to ends at cancellation, a live FIFO is read as it comes, /proc and device files give the
/// module's errors, never an exception or a hang.
/// </summary>
public class TraceFileStreamTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _dir = TraceStoreWorkload.NewDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Fifo(string name)
    {
        string path = Path.Combine(_dir, name);
        using Process mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFifoWithoutAWriterEndsWhenReadingIsCancelled(bool readAhead)
    {
        string fifo = Fifo("idle.fifo");
        using var cancel = new CancellationTokenSource();
        var errors = new List<TraceFileError>();
        using var started = new ManualResetEventSlim();
        Task<int> reading = Task.Run(() =>
        {
            started.Set();
            return TraceFiles.Read([fifo], errors.Add, readAhead, cancel.Token).Count();
        });
        started.Wait();
        // The reader waits for a writer for as long as there is none: still waiting after a while.
        Assert.False(reading.Wait(TimeSpan.FromMilliseconds(300)), "reading a FIFO with no writer waits for one");
        cancel.Cancel();
        var ended = Assert.Throws<AggregateException>(() => reading.Wait(Bound));
        Assert.IsAssignableFrom<OperationCanceledException>(ended.InnerException);
        Assert.Empty(errors);
    }

    [Fact]
    public void ALiveFifoIsReadAsItComesAndStoppingEarlyClosesIt()
    {
        string fifo = Fifo("live.fifo");
        var errors = new List<TraceFileError>();
        Task<FileStream> writerOpened = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write));
        using IEnumerator<TraceEvent> events = TraceFiles.Read([fifo], errors.Add, readAhead: true).GetEnumerator();
        Task<bool> first = Task.Run(events.MoveNext);
        using (FileStream writer = writerOpened.Result)
        {
            writer.Write("1 getpid() = 1\n2 getppid() = 1\n"u8);
            writer.Flush();
            // The two lines come out while the writer still holds the FIFO open.
            Assert.True(first.Wait(Bound) && first.Result);
            Assert.Equal("getpid", ((SyscallEvent)events.Current).Name);
            Assert.True(events.MoveNext());
            Assert.Equal("getppid", ((SyscallEvent)events.Current).Name);
            events.Dispose();
            // Only the writer's descriptor is left on the FIFO: stopping early closed the reader's.
            string writerFd = writer.SafeFileHandle.DangerousGetHandle().ToString();
            Assert.Equal([writerFd], Directory.GetFiles("/proc/self/fd").Where(fd => LinkTarget(fd) == fifo).Select(Path.GetFileName));
        }
        Assert.Empty(errors);
    }

    private static string? LinkTarget(string link)
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
    [InlineData("/proc/self/mem", TraceFileErrorKind.Unreadable)]
    [InlineData("/dev/zero", TraceFileErrorKind.NotATraceFile)]
    [InlineData("/dev/null", TraceFileErrorKind.EmptyFile)]
    [InlineData("/proc", TraceFileErrorKind.Unreadable)]
    public void DevicesAndProcFilesGiveOneErrorOfTheirKind(string path, TraceFileErrorKind kind)
    {
        foreach (bool readAhead in new[] { false, true })
        {
            var errors = new List<TraceFileError>();
            Assert.Empty(TraceFiles.Read([path], errors.Add, readAhead));
            TraceFileError error = Assert.Single(errors);
            Assert.Equal((kind, path), (error.Kind, error.FilePath));
        }
    }

    [Fact]
    public void AProcFileThatIsTextIsReadToItsEnd()
    {
        // /proc files have no size: they are read as streams, to the end the kernel gives.
        var errors = new List<TraceFileError>();
        Assert.Empty(TraceFiles.Read(["/proc/self/status"], errors.Add, readAhead: true));
        Assert.Equal(TraceFileErrorKind.NotATraceFile, Assert.Single(errors).Kind);
    }

    [Fact]
    public void ATraceIsWrittenToAFifoThatHasAReaderAndRefusedAtOnceWithoutOne()
    {
        string fifo = Fifo("out.fifo");
        var ex = Assert.Throws<IOException>(() => TraceFileWriter.Create(fifo, TraceFileFormat.Csv, append: true, "test"));
        Assert.Contains("no process has the FIFO open for reading", ex.Message);

        var errors = new List<TraceFileError>();
        Task<List<TraceEvent>> reading = Task.Run(() => TraceFiles.Read([fifo], errors.Add, readAhead: true).ToList());
        // The reader opens the FIFO without waiting; the writer may come a moment before it does.
        TraceFileWriter? writer = null;
        for (int attempt = 0; writer is null; attempt++)
        {
            try
            {
                writer = TraceFileWriter.Create(fifo, TraceFileFormat.Csv, append: true, "test");
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(50);
            }
        }
        using (writer)
        {
            writer.Write(new SyscallEvent { Name = "getpid", Arguments = "", ReturnValue = 42 });
        }
        Assert.True(reading.Wait(Bound));
        Assert.Empty(errors);
        Assert.Equal(42, ((SyscallEvent)Assert.Single(reading.Result)).ReturnValue);
    }
}
