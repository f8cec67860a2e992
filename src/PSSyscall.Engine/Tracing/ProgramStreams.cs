using System.Collections.Concurrent;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Sandbox;

namespace PSSyscall.Engine.Tracing;

/// <summary>Where one of a launched program's standard streams is connected.</summary>
public enum StreamTarget
{
    /// <summary>The host process's own descriptor (a terminal, when the host has one).</summary>
    Inherit,
    /// <summary>/dev/null.</summary>
    Null,
    /// <summary>A file: read for stdin; created or truncated for stdout and stderr.</summary>
    File,
    /// <summary>stdout/stderr: a pipe whose lines come back through <see cref="ProgramStreams.TryTake"/>.
    /// stdin: a pipe fed with <see cref="StreamSpec.Lines"/>, then closed.</summary>
    Pipe,
}

/// <summary>One stream's connection: a target, and the file or the input lines it needs.</summary>
public sealed record StreamSpec(StreamTarget Target, string? Path = null, IReadOnlyList<string>? Lines = null)
{
    public static StreamSpec Inherit { get; } = new(StreamTarget.Inherit);
    public static StreamSpec Null { get; } = new(StreamTarget.Null);
    public static StreamSpec Pipe { get; } = new(StreamTarget.Pipe);
    public static StreamSpec File(string path) => new(StreamTarget.File, path);
    public static StreamSpec FromLines(IReadOnlyList<string> lines) => new(StreamTarget.Pipe, Lines: lines);
}

/// <summary>A line the program wrote to a captured stream.</summary>
public readonly record struct CapturedLine(bool IsError, string Text);

/// <summary>
/// The standard streams of a program started through <see cref="ProcessLauncher"/>: opens the files
/// and pipes the specs ask for (close-on-exec; the shim dup2s them to 0, 1 and 2), feeds stdin from
/// a thread, and reads captured stdout and stderr on threads of their own into a queue that the
/// consumer drains on its own thread. Reading never blocks the program for long: the queue has no
/// bound, since the consumer of a trace may be waiting for the program's next system call.
/// </summary>
public sealed unsafe class ProgramStreams : IDisposable
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();
    private readonly List<int> _parentOnly = new();   // child ends: closed once the child has them
    private readonly List<OutputReader> _readers = new();
    private readonly int _drainFd = -1;
    private int _stdoutRead = -1, _stderrRead = -1, _stdinWrite = -1;
    private IReadOnlyList<string>? _inputLines;
    private Thread? _inputWriter;
    private bool _usesTerminal;
    private bool _disposed;

    /// <summary>Descriptors to give <see cref="LaunchOptions"/>; -1 inherits.</summary>
    public int Input { get; private set; } = -1;
    public int Output { get; private set; } = -1;
    public int Error { get; private set; } = -1;

    /// <summary>Whether stdout or stderr is captured (lines come through <see cref="TryTake"/>).</summary>
    public bool Captures { get; private set; }

    private ProgramStreams()
    {
        _drainFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
    }

    /// <summary>Opens what the three specs need. Throws <see cref="TraceException"/> (SetupFailed,
    /// with the path as target) for a file that cannot be opened; nothing stays open then.</summary>
    public static ProgramStreams Open(StreamSpec input, StreamSpec output, StreamSpec error)
    {
        var streams = new ProgramStreams();
        try
        {
            streams.Input = streams.OpenInput(input);
            streams.Output = streams.OpenOutput(output, isError: false);
            streams.Error = streams.OpenOutput(error, isError: true);
            // A terminal handed to the program must be in its normal (line-editing, echoing) mode.
            for (int fd = 0; fd <= 2; fd++)
            {
                StreamSpec spec = fd == 0 ? input : fd == 1 ? output : error;
                if (spec.Target == StreamTarget.Inherit && Libc.isatty(fd) == 1)
                    streams._usesTerminal = true;
            }
            if (streams._usesTerminal)
                SystemNative.ChildUsesTerminal(true);
            return streams;
        }
        catch
        {
            streams.Dispose();
            throw;
        }
    }

    private int OpenInput(StreamSpec spec)
    {
        switch (spec.Target)
        {
            case StreamTarget.Null:
                return OpenFile("/dev/null", Libc.O_RDONLY);
            case StreamTarget.File:
                return OpenFile(spec.Path!, Libc.O_RDONLY);
            case StreamTarget.Pipe:
                (int read, int write) = MakePipe();
                _parentOnly.Add(read);
                _stdinWrite = write;
                _inputLines = spec.Lines ?? Array.Empty<string>();
                return read;
            default:
                return -1;
        }
    }

    private int OpenOutput(StreamSpec spec, bool isError)
    {
        switch (spec.Target)
        {
            case StreamTarget.Null:
                return OpenFile("/dev/null", Libc.O_WRONLY);
            case StreamTarget.File:
                return OpenFile(spec.Path!, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC);
            case StreamTarget.Pipe:
                (int read, int write) = MakePipe();
                Libc.fcntl(read, Libc.F_SETFL, Libc.fcntl(read, Libc.F_GETFL, 0) | Libc.O_NONBLOCK);
                _parentOnly.Add(write);
                if (isError) _stderrRead = read; else _stdoutRead = read;
                Captures = true;
                return write;
            default:
                return -1;
        }
    }

    private int OpenFile(string path, int flags)
    {
        int fd = Libc.open(path, flags | Libc.O_CLOEXEC, 0x1b6 /* 0666, less the umask */);
        if (fd < 0)
        {
            int errno = Libc.LastError;
            throw new TraceException(TraceFailure.SetupFailed, path, $"Cannot open '{path}' for the program's standard stream: {Libc.ErrorText(errno)}.", errno);
        }
        _parentOnly.Add(fd);
        return fd;
    }

    private static (int Read, int Write) MakePipe()
    {
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            int errno = Libc.LastError;
            throw new TraceException(TraceFailure.SetupFailed, "pipe", "pipe2 failed: " + Libc.ErrorText(errno), errno);
        }
        return (fds[0], fds[1]);
    }

    /// <summary>Call once the child has been started (it holds its ends now): closes this process's
    /// copies of the child's ends, so EOF comes when the program's side closes, and starts the
    /// threads that feed stdin and read the captured streams.</summary>
    public void ChildStarted()
    {
        foreach (int fd in _parentOnly)
            Libc.close(fd);
        _parentOnly.Clear();
        var slots = new SemaphoreSlim(int.MaxValue, int.MaxValue);
        if (_stdoutRead >= 0)
            _readers.Add(new OutputReader(_stdoutRead, _drainFd, SandboxMessageKind.Output, Post, slots, CancellationToken.None, () => { }));
        if (_stderrRead >= 0)
            _readers.Add(new OutputReader(_stderrRead, _drainFd, SandboxMessageKind.Error, Post, slots, CancellationToken.None, () => { }));
        _stdoutRead = _stderrRead = -1; // the readers own them now
        foreach (OutputReader reader in _readers)
            reader.Start();
        if (_stdinWrite >= 0)
        {
            int fd = _stdinWrite;
            IReadOnlyList<string> lines = _inputLines!;
            _stdinWrite = -1;
            _inputWriter = new Thread(() => WriteInput(fd, lines)) { IsBackground = true, Name = "PSSyscall stdin" };
            _inputWriter.Start();
        }
    }

    private void Post(SandboxMessage message)
        => _lines.Enqueue(new CapturedLine(message.Kind == SandboxMessageKind.Error, message.Text ?? ""));

    /// <summary>Writes each line and a newline, as PowerShell feeds a native command, then closes
    /// the pipe so the program sees EOF. A program that stops reading ends it with EPIPE.</summary>
    private static void WriteInput(int fd, IReadOnlyList<string> lines)
    {
        try
        {
            byte[] buffer = new byte[65536];
            foreach (string line in lines)
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
                int offset = 0;
                while (offset < bytes.Length)
                {
                    nint n;
                    fixed (byte* p = &bytes[offset])
                        n = Libc.write(fd, p, bytes.Length - offset);
                    if (n < 0)
                    {
                        if (Libc.LastError == Libc.EINTR)
                            continue;
                        return; // EPIPE: the program closed its stdin
                    }
                    offset += (int)n;
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>A captured line, if one is waiting. Call on the consumer's thread.</summary>
    public bool TryTake(out CapturedLine line) => _lines.TryDequeue(out line);

    /// <summary>After the program's tree has ended: reads what is still buffered in the pipes and
    /// stops the readers, even if a process outside the trace still holds a write end.</summary>
    public void Drain()
    {
        if (_drainFd >= 0)
            Libc.Signal(_drainFd);
        foreach (OutputReader reader in _readers)
            reader.Join();
        _readers.Clear();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (int fd in _parentOnly)
            Libc.close(fd);
        _parentOnly.Clear();
        Drain();
        foreach (int fd in new[] { _stdoutRead, _stderrRead, _stdinWrite })
            if (fd >= 0)
                Libc.close(fd);
        if (_drainFd >= 0)
            Libc.close(_drainFd);
        if (_usesTerminal)
            SystemNative.ChildUsesTerminal(false);
    }
}
