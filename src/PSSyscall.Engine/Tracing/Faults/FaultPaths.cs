using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// The paths a call touches, for -PathLike, found as decoding finds them: the arguments its
/// signature marks as paths (as given, and made absolute against the directory descriptor before
/// them or the working directory) and as descriptors (what /proc/PID/fd/N points to, from the
/// process's descriptor cache when it has the entry). This is what strace -P compares. Read at the
/// entry stop, only for calls a path-conditioned fault could hit; the absolute form of a relative
/// path costs a readlink and is made only when the path as given does not match. Tracer thread only.
/// </summary>
internal sealed class FaultPaths
{
    private const int AtFdCwd = -100;
    private const int PathMax = 4096;

    private readonly TraceeMemory _memory = new();
    private readonly byte[] _buffer = new byte[PathMax + 1];
    private readonly List<PathArgument> _found = new(4);

    /// <summary>A path argument as given, the directory descriptor it is relative to, and (made
    /// on demand, once per call) its absolute form.</summary>
    private struct PathArgument
    {
        public string Text;
        public int DirFd;          // AtFdCwd, or a descriptor; unused for descriptor targets
        public bool IsFdTarget;    // Text is what a descriptor argument refers to (absolute)
        public string? Absolute;
    }

    /// <summary>Reads the path and descriptor arguments of the call the tracee is entering.</summary>
    public void Read(Tracee t)
    {
        _found.Clear();
        // Foreign ABIs are named, not decoded (their argument layouts differ).
        if (t.Architecture != SyscallArchitecture.X86_64)
            return;
        IReadOnlyList<ArgKind>? kinds = (t.Signature ?? SyscallTable.X86_64.GetSignature(t.Number)).ArgumentKinds;
        if (kinds is null)
            return;
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
                    if (ReadPath(t.ThreadId, v) is string given)
                        _found.Add(new PathArgument { Text = given, DirFd = dirFd });
                    dirFd = AtFdCwd;
                    break;
                case ArgKind.Fd:
                    if ((int)v >= 0 && Link(t, (int)v) is string target)
                        _found.Add(new PathArgument { Text = target, IsFdTarget = true });
                    break;
            }
        }
    }

    /// <summary>True when a path read by <see cref="Read"/> matches: as given first, then (for a
    /// relative one) its absolute form, resolved against its directory descriptor or the working
    /// directory only when the given form did not match.</summary>
    public bool Matches(Tracee t, Regex pattern)
    {
        var paths = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_found);
        foreach (ref PathArgument p in paths)
        {
            if (pattern.IsMatch(p.Text))
                return true;
        }
        foreach (ref PathArgument p in paths)
        {
            if (p.IsFdTarget || p.Text.Length == 0 || p.Text.StartsWith('/'))
                continue;
            p.Absolute ??= Link(t, p.DirFd == AtFdCwd ? null : p.DirFd) is string dir ? Normalize(System.IO.Path.Combine(dir, p.Text)) : "";
            if (p.Absolute.Length > 0 && pattern.IsMatch(p.Absolute))
                return true;
        }
        return false;
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
