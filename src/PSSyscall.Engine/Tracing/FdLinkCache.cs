namespace PSSyscall.Engine.Tracing;

/// <summary>
/// What a process's descriptors refer to (the targets of /proc/PID/fd/N, and its cwd), cached so
/// that strace -y style annotations cost one readlink per descriptor rather than one per use.
/// The tracer keeps it right by following the calls that change the table (close, close_range,
/// dup2/dup3, calls returning descriptors, chdir, exec's close-on-exec) and drops every cache when
/// a traced call renames or removes a file (the link text of an open file changes then). When the
/// seccomp fast path hides those calls the cache is not used at all (see <see cref="Enabled"/>).
/// Threads share their process's cache; a forked process starts with a copy.
/// </summary>
internal sealed class FdLinkCache
{
    private static int s_generation;
    private readonly Dictionary<int, byte[]> _links = new();
    private byte[]? _cwd;
    private int _generation = Volatile.Read(ref s_generation);

    public FdLinkCache(bool enabled) => Enabled = enabled;

    /// <summary>False on the seccomp fast path, whose hidden calls could make entries stale.</summary>
    public bool Enabled { get; }

    /// <summary>Every cache is stale (a traced call renamed or removed a file).</summary>
    public static void InvalidateAll() => Interlocked.Increment(ref s_generation);

    public FdLinkCache Copy()
    {
        var copy = new FdLinkCache(Enabled) { _cwd = _cwd, _generation = _generation };
        foreach (var (fd, link) in _links)
            copy._links[fd] = link;
        return copy;
    }

    private void Validate()
    {
        int g = Volatile.Read(ref s_generation);
        if (g != _generation)
        {
            _links.Clear();
            _cwd = null;
            _generation = g;
        }
    }

    public byte[]? Get(int fd)
    {
        if (!Enabled)
            return null;
        Validate();
        return _links.TryGetValue(fd, out byte[]? link) ? link : null;
    }

    public void Set(int fd, byte[] link)
    {
        if (Enabled)
            _links[fd] = link;
    }

    public void Remove(int fd) => _links.Remove(fd);

    public void Clear()
    {
        _links.Clear();
        _cwd = null;
    }

    public byte[]? Cwd
    {
        get
        {
            if (!Enabled)
                return null;
            Validate();
            return _cwd;
        }
        set => _cwd = Enabled ? value : null;
    }
}
