using System.Text;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// The paths a call touches, for -PathLike, found as decoding finds them: the arguments its
/// signature marks as paths (as given, and made absolute against the directory descriptor before
/// them or the working directory) and as descriptors (what /proc/PID/fd/N points to, from the
/// process's descriptor cache when it has the entry). This is what strace -P compares. Read at the
/// entry stop, only for calls a path-conditioned fault could hit. Tracer thread only.
/// </summary>
internal sealed class FaultPaths
{
    private const int AtFdCwd = -100;
    private const int PathMax = 4096;

    private readonly TraceeMemory _memory = new();
    private readonly byte[] _buffer = new byte[PathMax + 1];
    private readonly List<string> _found = new(4);

    /// <summary>The paths of the call the tracee is entering (empty when it has none). The list is
    /// reused: read it before the next call.</summary>
    public IReadOnlyList<string> Read(Tracee t)
    {
        _found.Clear();
        // Foreign ABIs are named, not decoded (their argument layouts differ).
        if (t.Architecture != SyscallArchitecture.X86_64)
            return _found;
        IReadOnlyList<ArgKind>? kinds = (t.Signature ?? SyscallTable.X86_64.GetSignature(t.Number)).ArgumentKinds;
        if (kinds is null)
            return _found;
        int dirFd = AtFdCwd;
        for (int i = 0; i < kinds.Count && i < 6; i++)
        {
            ulong v = Argument(t, i);
            switch (kinds[i])
            {
                case ArgKind.DirFd:
                    dirFd = (int)v;
                    break;
                case ArgKind.Path:
                    string? given = ReadPath(t.ThreadId, v);
                    if (given is null)
                        break;
                    _found.Add(given);
                    if (!given.StartsWith('/') && given.Length > 0 && Link(t, dirFd == AtFdCwd ? null : dirFd) is string dir)
                        _found.Add(Normalize(System.IO.Path.Combine(dir, given)));
                    dirFd = AtFdCwd;
                    break;
                case ArgKind.Fd:
                    if ((int)v >= 0 && Link(t, (int)v) is string target)
                        _found.Add(target);
                    break;
            }
        }
        return _found;
    }

    // "." and ".." folded; a path the runtime will not normalise (an embedded NUL) stays as it is.
    private static string Normalize(string path)
    {
        try
        {
            return System.IO.Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return path;
        }
    }

    private static ulong Argument(Tracee t, int i) => i switch
    {
        0 => t.Arg0, 1 => t.Arg1, 2 => t.Arg2, 3 => t.Arg3, 4 => t.Arg4, _ => t.Arg5,
    };

    private string? ReadPath(int tid, ulong address)
    {
        int n = _memory.ReadString(tid, address, _buffer, PathMax, out _);
        return n < 0 ? null : Encoding.UTF8.GetString(_buffer, 0, n);
    }

    /// <summary>What a descriptor (or, for null, the working directory) refers to.</summary>
    private string? Link(Tracee t, int? fd)
    {
        FdLinkCache cache = t.Process.Fds;
        ReadOnlySpan<byte> cached = fd is int n ? cache.Get(n) : cache.Cwd;
        if (!cached.IsEmpty)
            return Encoding.UTF8.GetString(cached);
        int length = _memory.ReadFdLink(t.ThreadId, fd, _buffer);
        return length < 0 ? null : Encoding.UTF8.GetString(_buffer, 0, length);
    }
}
