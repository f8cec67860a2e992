namespace PSSyscall.Engine.Storage;

/// <summary>
/// How far <see cref="TraceFiles.Read"/> has got through its files, in bytes: written by the thread
/// that reads (possibly a read-ahead thread), read by the caller's thread to report progress. Values
/// are approximate while a file is being read and exact between files.
/// </summary>
public sealed class TraceReadProgress
{
    private long _finishedBytes;
    private volatile TraceFileReader? _current;
    private volatile string? _file;

    /// <summary>The size of all the files together, as they were when reading began.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes read so far, at most <see cref="TotalBytes"/> (a file that grows while it is
    /// read does not push the figure past it).</summary>
    public long BytesRead
    {
        get
        {
            long read = Volatile.Read(ref _finishedBytes) + (_current?.BytesRead ?? 0);
            return Math.Min(read, TotalBytes);
        }
    }

    /// <summary>The file being read, or the last one read (a read-ahead thread may be done with it
    /// while the caller still handles its events); null before the first.</summary>
    public string? CurrentFile => _file;

    internal void Start(IEnumerable<string> paths)
    {
        long total = 0;
        foreach (string path in paths)
            total += SizeOf(path);
        TotalBytes = total;
    }

    internal void Reading(TraceFileReader? reader)
    {
        _current = reader;
        if (reader is not null)
            _file = reader.FilePath;
    }

    internal void Finished(IEnumerable<string> files)
    {
        long size = 0;
        foreach (string path in files)
            size += SizeOf(path);
        Interlocked.Add(ref _finishedBytes, size);
        _current = null;
    }

    private static long SizeOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }
}
