using System.Text;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing.Faults;

/// <summary>
/// The paths a call touches, for -PathLike: its path arguments (as given, and made absolute
/// against its directory descriptor or the working directory), or the path of its descriptor
/// argument (/proc/PID/fd/N), as strace -P compares them. Read at the entry stop, only for calls
/// a path-conditioned fault could hit. Tracer thread only.
/// </summary>
internal sealed unsafe class FaultPaths
{
    private const int AtFdCwd = -100;
    private const int PathMax = 4096;

    // MERGE(decode): argument positions come from the one signature table once decoding lands.
    // kind: 'p' path, 'd' dirfd followed by a path, 'f' descriptor.
    private static readonly Dictionary<string, string> Layouts = new(StringComparer.Ordinal)
    {
        ["open"] = "p", ["creat"] = "p", ["openat"] = "dp", ["openat2"] = "dp", ["stat"] = "p", ["lstat"] = "p",
        ["newfstatat"] = "dp", ["fstatat64"] = "dp", ["statx"] = "dp", ["access"] = "p", ["faccessat"] = "dp",
        ["faccessat2"] = "dp", ["execve"] = "p", ["execveat"] = "dp", ["truncate"] = "p", ["unlink"] = "p",
        ["unlinkat"] = "dp", ["mkdir"] = "p", ["mkdirat"] = "dp", ["rmdir"] = "p", ["rename"] = "pp",
        ["renameat"] = "dpdp", ["renameat2"] = "dpdp", ["chdir"] = "p", ["chmod"] = "p", ["fchmodat"] = "dp",
        ["chown"] = "p", ["lchown"] = "p", ["fchownat"] = "dp", ["readlink"] = "p", ["readlinkat"] = "dp",
        ["link"] = "pp", ["linkat"] = "dpdp", ["symlink"] = "pp", ["symlinkat"] = "pdp", ["utimensat"] = "dp",
        ["utime"] = "p", ["utimes"] = "p", ["mknod"] = "p", ["mknodat"] = "dp", ["statfs"] = "p",
        ["getxattr"] = "p", ["setxattr"] = "p", ["lgetxattr"] = "p", ["lsetxattr"] = "p", ["listxattr"] = "p",
        ["removexattr"] = "p", ["chroot"] = "p", ["acct"] = "p", ["swapon"] = "p", ["swapoff"] = "p",
        ["read"] = "f", ["write"] = "f", ["pread64"] = "f", ["pwrite64"] = "f", ["readv"] = "f", ["writev"] = "f",
        ["preadv"] = "f", ["pwritev"] = "f", ["preadv2"] = "f", ["pwritev2"] = "f", ["close"] = "f",
        ["fstat"] = "f", ["fstatfs"] = "f", ["fsync"] = "f", ["fdatasync"] = "f", ["ftruncate"] = "f",
        ["lseek"] = "f", ["getdents"] = "f", ["getdents64"] = "f", ["fchmod"] = "f", ["fchown"] = "f",
        ["fchdir"] = "f", ["flock"] = "f", ["fcntl"] = "f", ["ioctl"] = "f", ["mmap"] = "----f",
        ["sendfile"] = "ff", ["copy_file_range"] = "f-f", ["splice"] = "f-f", ["fadvise64"] = "f",
        ["fallocate"] = "f", ["sync_file_range"] = "f", ["syncfs"] = "f", ["fgetxattr"] = "f",
        ["fsetxattr"] = "f", ["flistxattr"] = "f", ["fremovexattr"] = "f", ["readahead"] = "f",
    };

    private readonly string?[][] _layouts; // by architecture, then number
    private readonly byte[] _buffer = new byte[PathMax];
    private readonly List<string> _found = new(4);

    public FaultPaths()
    {
        SyscallTable[] tables = { SyscallTable.X86_64, SyscallTable.I386, SyscallTable.X32 };
        _layouts = new string?[tables.Length][];
        foreach (SyscallTable table in tables)
        {
            var byNumber = new string?[table.Count];
            foreach (var (number, name) in table.Entries)
                byNumber[number] = Layouts.GetValueOrDefault(name);
            _layouts[(int)table.Architecture] = byNumber;
        }
    }

    /// <summary>The paths of the call the tracee is entering (empty when it has none). The list is
    /// reused: read it before the next call.</summary>
    public IReadOnlyList<string> Read(Tracee t)
    {
        _found.Clear();
        string?[] byNumber = _layouts[(int)t.Architecture];
        string? layout = t.Number >= 0 && t.Number < byNumber.Length ? byNumber[t.Number] : null;
        if (layout is null)
            return _found;
        bool wide = t.Architecture != SyscallArchitecture.I386;
        int dirFd = AtFdCwd;
        for (int i = 0; i < layout.Length && i < 6; i++)
        {
            ulong v = Argument(t, i);
            switch (layout[i])
            {
                case 'd':
                    dirFd = wide ? (int)v : (int)(uint)v;
                    break;
                case 'p':
                    string? given = ReadString(t.ThreadId, wide ? v : (uint)v);
                    if (given is null)
                        break;
                    _found.Add(given);
                    if (!given.StartsWith('/'))
                    {
                        string? dir = dirFd == AtFdCwd ? Link(t, "cwd") : Link(t, "fd/" + dirFd);
                        if (dir is not null)
                            _found.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, given)));
                    }
                    dirFd = AtFdCwd;
                    break;
                case 'f':
                    int fd = (int)v;
                    if (fd >= 0 && Link(t, "fd/" + fd) is string target)
                        _found.Add(target);
                    break;
            }
        }
        return _found;
    }

    private static ulong Argument(Tracee t, int i) => i switch
    {
        0 => t.Arg0, 1 => t.Arg1, 2 => t.Arg2, 3 => t.Arg3, 4 => t.Arg4, _ => t.Arg5,
    };

    private static string? Link(Tracee t, string what)
    {
        try
        {
            return new FileInfo($"/proc/{t.ThreadId}/{what}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A NUL-terminated string from the tracee, read page by page (a string can end just
    /// before an unmapped page).</summary>
    private string? ReadString(int tid, ulong address)
    {
        if (address == 0)
            return null;
        int length = 0;
        fixed (byte* buffer = _buffer)
        {
            while (length < PathMax)
            {
                ulong at = address + (ulong)length;
                int chunk = (int)Math.Min(4096 - (at & 4095), (ulong)(PathMax - length));
                Libc.IoVec local = new() { Base = buffer + length, Length = (nuint)chunk };
                Libc.IoVec remote = new() { Base = (void*)at, Length = (nuint)chunk };
                nint got = Libc.process_vm_readv(tid, &local, 1, &remote, 1, 0);
                if (got <= 0)
                    return length > 0 ? Encoding.UTF8.GetString(_buffer, 0, length) : null;
                int nul = new ReadOnlySpan<byte>(buffer + length, (int)got).IndexOf((byte)0);
                if (nul >= 0)
                    return Encoding.UTF8.GetString(_buffer, 0, length + nul);
                length += (int)got;
            }
        }
        return Encoding.UTF8.GetString(_buffer, 0, length);
    }
}
