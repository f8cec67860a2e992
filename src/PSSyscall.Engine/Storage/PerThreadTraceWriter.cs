using System.Globalization;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// strace -ff -o PREFIX: one strace text file per traced thread, PREFIX.TID, each with that
/// thread's events in strace's -tt -T -y form and no thread id on its lines (the name says it).
/// Get-SyscallEvent PREFIX reads such a set back as one trace (<see cref="TraceFiles"/>).
/// A file is created when its thread's first event comes, and closed when its process's exit
/// event comes; at most <see cref="MaxOpenFiles"/> stay open at once (the least recently written
/// is closed, and reopened for appending when its thread writes again).
/// </summary>
public sealed class PerThreadTraceWriter : TraceFileWriter
{
    /// <summary>Open files at most, so that a build with thousands of processes cannot exhaust descriptors.</summary>
    public const int MaxOpenFiles = 128;

    private const int BufferSize = 16 * 1024;

    private readonly string _prefix;
    private readonly Dictionary<int, (StraceTextWriter Writer, long LastUse)> _open = new();
    private readonly HashSet<int> _created = new();
    private long _clock;

    private readonly StraceTextOptions? _options;

    private PerThreadTraceWriter(string prefix, StraceTextOptions? options) : base(Stream.Null)
    {
        _prefix = prefix;
        _options = options;
    }

    public override TraceFileFormat Format => TraceFileFormat.Strace;

    /// <summary>The files written so far, by thread id.</summary>
    public IReadOnlyCollection<int> ThreadIds => _created;

    /// <summary>The file of one thread: PREFIX.TID.</summary>
    public static string PathFor(string prefix, int threadId) => prefix + "." + threadId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The files an earlier -ff run left under this prefix (PREFIX.N), which a reader would
    /// take for part of this trace.</summary>
    public static IReadOnlyList<string> ExistingFiles(string prefix) => TraceFiles.FindPerProcessFiles(prefix);

    /// <summary>Starts a set of per-thread files. Files an earlier run left under the prefix are
    /// removed first (the caller decides whether that is allowed), as a new -OutFile replaces the old.</summary>
    public static PerThreadTraceWriter Create(string prefix, StraceTextOptions? options = null)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(prefix));
        if (dir is null || !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Could not find a part of the path '{prefix}'.");
        foreach (string stale in ExistingFiles(prefix))
            File.Delete(stale);
        return new PerThreadTraceWriter(prefix, options);
    }

    private protected override void WriteEvent(TraceEvent e)
    {
        int tid = e.ThreadId;
        _processOf[tid] = e.ProcessId;
        StraceTextWriter writer = WriterFor(tid);
        writer.Write(e);
        if (e is ProcessExitEvent exit)
        {
            Close(tid); // "+++ exited with N +++" is a thread's last line
            _ended.Add(tid);
            // The engine reports the end of a process; strace -ff ends every thread's file with
            // it: the threads still running when their process ended (exit_group, a fatal signal).
            foreach (int other in _processOf.Where(kv => kv.Value == e.ProcessId && kv.Key != tid && !_ended.Contains(kv.Key)).Select(kv => kv.Key).ToList())
                EndThread(other, exit, exit.ExitCode, exit.Signal, exit.CoreDumped);
        }
        else if (e is SyscallEvent { Unfinished: true, Name: "exit" } call && tid != e.ProcessId)
        {
            // A thread that called exit ends there, the process goes on: strace writes the thread's
            // own "+++ exited with N +++" (N the exit argument's low byte).
            EndThread(tid, call, (int)(call.Argument0 & 0xff), null, false);
        }
    }

    private readonly Dictionary<int, int> _processOf = new();
    private readonly HashSet<int> _ended = new();

    private void EndThread(int tid, TraceEvent at, int? exitCode, string? signal, bool coreDumped)
    {
        var end = new ProcessExitEvent
        {
            Timestamp = at.Timestamp, ProcessId = at.ProcessId, ThreadId = tid, ProcessName = at.ProcessName,
            ParentProcessId = at.ParentProcessId, ExitCode = exitCode, Signal = signal, CoreDumped = coreDumped,
        };
        WriterFor(tid).Write(end);
        Close(tid);
        _ended.Add(tid);
    }

    private StraceTextWriter WriterFor(int tid)
    {
        _clock++;
        if (_open.TryGetValue(tid, out var entry))
        {
            _open[tid] = (entry.Writer, _clock);
            return entry.Writer;
        }
        if (_open.Count >= MaxOpenFiles)
        {
            int oldest = _open.MinBy(kv => kv.Value.LastUse).Key;
            Close(oldest);
        }
        bool again = !_created.Add(tid);
        var stream = new FileStream(PathFor(_prefix, tid), again ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        var writer = new StraceTextWriter(stream, threadIdPrefix: false, BufferSize, _options);
        _open[tid] = (writer, _clock);
        return writer;
    }

    private void Close(int tid)
    {
        if (_open.Remove(tid, out var entry))
            entry.Writer.Dispose();
    }

    public override void Flush()
    {
        foreach (var (writer, _) in _open.Values)
            writer.Flush();
    }

    private protected override void OnDisposed()
    {
        foreach (int tid in _open.Keys.ToArray())
            Close(tid);
    }
}
