using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Tracing;

/// <summary>
/// What a process's descriptors refer to (the targets of /proc/PID/fd/N, and its cwd), cached so
/// that strace -y style annotations cost one readlink per descriptor rather than one per use.
/// The tracer keeps it right by following the calls that change the table (close, close_range,
/// dup2/dup3, calls returning descriptors, chdir, exec's close-on-exec) and drops every cache when
/// a traced call renames or removes a file (the link text of an open file changes then). When the
/// seccomp fast path hides those calls the cache is not used at all (see <see cref="Enabled"/>).
/// Threads share their process's cache; a forked process starts with a copy.
/// Storage is one reusable buffer per descriptor number, so reopening descriptors (the common
/// case: 3, 4, 5 again and again) allocates nothing.
/// </summary>
internal sealed class FdLinkCache
{
    private const int MaxCachedFd = 4096;
    private static int s_generation;
    private byte[]?[] _links = new byte[]?[16];
    private int[] _lengths = new int[16]; // 0: not cached
    private byte[]? _cwd;
    private int _cwdLength;
    private int _generation = Volatile.Read(ref s_generation);

    public FdLinkCache(bool enabled) => Enabled = enabled;

    /// <summary>False on the seccomp fast path, whose hidden calls could make entries stale.</summary>
    public bool Enabled { get; }

    /// <summary>Every cache is stale (a traced call renamed or removed a file).</summary>
    public static void InvalidateAll() => Interlocked.Increment(ref s_generation);

    public FdLinkCache Copy()
    {
        var copy = new FdLinkCache(Enabled) { _generation = _generation, _cwdLength = _cwdLength };
        copy._links = new byte[]?[_links.Length];
        copy._lengths = (int[])_lengths.Clone();
        for (int i = 0; i < _links.Length; i++)
            if (_lengths[i] > 0)
                copy._links[i] = (byte[])_links[i]!.Clone();
        if (_cwd is not null && _cwdLength > 0)
            copy._cwd = (byte[])_cwd.Clone();
        return copy;
    }

    private void Validate()
    {
        int g = Volatile.Read(ref s_generation);
        if (g != _generation)
        {
            Clear();
            _generation = g;
        }
    }

    /// <summary>The cached link text, or an empty span when not cached.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Get(int fd)
    {
        if (!Enabled || fd < 0 || fd >= _lengths.Length)
            return default;
        Validate();
        return _lengths[fd] > 0 ? _links[fd].AsSpan(0, _lengths[fd]) : default;
    }

    public void Set(int fd, ReadOnlySpan<byte> link)
    {
        if (!Enabled || fd < 0 || fd >= MaxCachedFd || link.Length == 0)
            return;
        if (fd >= _lengths.Length)
        {
            int size = Math.Max(fd + 1, _lengths.Length * 2);
            Array.Resize(ref _links, size);
            Array.Resize(ref _lengths, size);
        }
        Store(ref _links[fd], link);
        _lengths[fd] = link.Length;
    }

    public void Remove(int fd)
    {
        if (fd >= 0 && fd < _lengths.Length)
            _lengths[fd] = 0;
    }

    public void Clear()
    {
        Array.Clear(_lengths);
        _cwdLength = 0;
    }

    public ReadOnlySpan<byte> Cwd
    {
        get
        {
            if (!Enabled)
                return default;
            Validate();
            return _cwd.AsSpan(0, _cwdLength);
        }
    }

    public void SetCwd(ReadOnlySpan<byte> link)
    {
        if (!Enabled)
            return;
        Store(ref _cwd, link);
        _cwdLength = link.Length;
    }

    public void ForgetCwd() => _cwdLength = 0;

    private static void Store(ref byte[]? buffer, ReadOnlySpan<byte> link)
    {
        if (buffer is null || buffer.Length < link.Length)
            buffer = new byte[Math.Max(64, link.Length)];
        link.CopyTo(buffer);
    }
}
