
namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads several trace files as one stream of events. Files of one <c>strace -ff -o PREFIX</c> run
/// (PREFIX.1234, PREFIX.1240, ...) are merged by time into one trace, so that threads are placed in
/// their processes and children inherit names across files; every other file is read on its own,
/// in the order given.
/// </summary>
public static class TraceFiles
{
    private const int PerProcessFileBuffer = 16 * 1024;

    /// <summary>The files of a <c>strace -ff -o PREFIX</c> run: PREFIX.&lt;pid&gt;, sorted by pid
    /// (empty when there are none).</summary>
    public static IReadOnlyList<string> FindPerProcessFiles(string prefix)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(prefix));
        string name = Path.GetFileName(prefix);
        if (dir is null || name.Length == 0 || !Directory.Exists(dir))
            return Array.Empty<string>();
        return Directory.EnumerateFiles(dir, name + ".*")
            .Where(f => StraceTextReader.ProcessIdFromFileName(f) > 0 && Path.GetFileNameWithoutExtension(f) == name)
            .OrderBy(StraceTextReader.ProcessIdFromFileName)
            .ToArray();
    }

    /// <summary>Every event of the files, streaming. Problems are reported through <paramref name="onError"/>,
    /// on the caller's thread, in order with the events. With <paramref name="readAhead"/> the files are
    /// parsed on another thread while the caller handles the events read before. Cancelling
    /// <paramref name="cancel"/> ends the reading at once, even of a FIFO that no one writes to: the
    /// enumeration then throws <see cref="OperationCanceledException"/>.</summary>
    /// <param name="progress">Updated as the files are read (from the reading thread), for the
    /// caller to report how far it got.</param>
    public static IEnumerable<TraceEvent> Read(IEnumerable<string> paths, Action<TraceFileError> onError, bool readAhead = false,
        CancellationToken cancel = default, TraceReadProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onError);
        List<string> list = paths.ToList();
        progress?.Start(list);
        return readAhead ? ReadAhead.Read((report, token) => Sources(list, report, token, progress), onError, cancel) : ReadSequentially(list, onError, cancel, progress);
    }

    private static IEnumerable<TraceEvent> ReadSequentially(List<string> list, Action<TraceFileError> onError, CancellationToken cancel, TraceReadProgress? progress)
    {
        foreach (TraceSource source in Sources(list, onError, cancel, progress))
            foreach (TraceEvent e in source.Events)
                yield return e;
    }

    /// <summary>The parts of the trace in order: each file, or each strace -ff run merged. A file's
    /// reader is disposed when the next part is asked for, so read each part to its end first.</summary>
    private static IEnumerable<TraceSource> Sources(List<string> list, Action<TraceFileError> onError, CancellationToken cancel, TraceReadProgress? progress)
    {
        // Group the per-process files of -ff runs; keep the first position of each group.
        var groups = new List<List<string>>();
        var byPrefix = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string path in list)
        {
            string full = Path.GetFullPath(path);
            if (StraceTextReader.ProcessIdFromFileName(full) > 0)
            {
                string prefix = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
                if (byPrefix.TryGetValue(prefix, out List<string>? group))
                {
                    if (!group.Contains(full))
                        group.Add(full);
                    continue;
                }
                group = new List<string> { full };
                byPrefix[prefix] = group;
                groups.Add(group);
            }
            else
            {
                groups.Add(new List<string> { path });
            }
        }

        foreach (List<string> group in groups)
        {
            if (group.Count > 1)
            {
                yield return new TraceSource(ReadPerProcess(group, onError, cancel));
                progress?.Finished(group);
                continue;
            }
            using TraceFileReader? reader = TraceFileReader.Open(group[0], onError, cancel);
            progress?.Reading(reader);
            // A stream's records are read one by one as they come, not cut into chunks.
            if (reader is IndependentRecordReader records && !reader.IsStream)
                yield return new TraceSource(records);
            else if (reader is not null)
                yield return new TraceSource(reader.ReadEvents());
            // The caller asks for the next part only when it has read this one to its end.
            progress?.Finished(group);
        }
    }

    /// <summary>One file, whatever its format.</summary>
    public static IEnumerable<TraceEvent> ReadOne(string path, Action<TraceFileError> onError, CancellationToken cancel = default)
    {
        using TraceFileReader? reader = TraceFileReader.Open(path, onError, cancel);
        if (reader is null)
            yield break;
        foreach (TraceEvent e in reader.ReadEvents())
            yield return e;
    }

    /// <summary>The files of one -ff run merged by time (ties: the lower pid's file first).</summary>
    private static IEnumerable<TraceEvent> ReadPerProcess(List<string> files, Action<TraceFileError> onError, CancellationToken cancel)
    {
        files.Sort((a, b) => StraceTextReader.ProcessIdFromFileName(a).CompareTo(StraceTextReader.ProcessIdFromFileName(b)));
        var tracker = new StraceProcessTracker();
        var readers = new List<TraceFileReader>();
        var others = new List<string>();
        var queue = new PriorityQueue<IEnumerator<TraceEvent>, (DateTime Time, int Order)>();
        try
        {
            for (int i = 0; i < files.Count; i++)
            {
                TraceFileReader? reader = TraceFileReader.Open(files[i], onError, PerProcessFileBuffer, tracker, cancel);
                if (reader is null)
                    continue;
                if (reader is not StraceTextReader)
                {
                    // Not strace text after all: read it on its own, after the merged ones.
                    reader.Dispose();
                    others.Add(files[i]);
                    continue;
                }
                readers.Add(reader);
                IEnumerator<TraceEvent> events = reader.ReadEvents().GetEnumerator();
                if (events.MoveNext())
                    queue.Enqueue(events, (events.Current.Timestamp, i));
            }
            while (queue.TryDequeue(out IEnumerator<TraceEvent>? events, out (DateTime Time, int Order) key))
            {
                TraceEvent e = events.Current;
                tracker.Complete(e);
                if (!StraceProcessTracker.IsThreadExit(e))
                    yield return e;
                if (events.MoveNext())
                    queue.Enqueue(events, (events.Current.Timestamp, key.Order));
            }
        }
        finally
        {
            foreach (TraceFileReader reader in readers)
                reader.Dispose();
        }
        foreach (string other in others)
            foreach (TraceEvent e in ReadOne(other, onError, cancel))
                yield return e;
    }
}
