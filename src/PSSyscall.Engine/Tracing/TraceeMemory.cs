using System.Runtime.CompilerServices;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Reads a stopped tracee's memory: process_vm_readv (one syscall, no ptrace round trips), falling
/// back to /proc/PID/mem when it is refused (e.g. a kernel built without CONFIG_CROSS_MEMORY_ATTACH).
/// Tracer thread only; no allocation per read.
/// </summary>
internal sealed unsafe class TraceeMemory
{
    private const int PageSize = 4096;
    private bool _useProcMem;

    /// <summary>process_vm_readv calls made, and reads that went through /proc/PID/mem instead.</summary>
    public long VmReads { get; private set; }
    public long ProcMemReads { get; private set; }
    private readonly byte* _path = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(64);

    /// <summary>Reads up to dest.Length bytes at addr; returns the count read (short at an unmapped
    /// page), or -1 if nothing could be read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Read(int tid, ulong addr, Span<byte> dest)
    {
        if (dest.Length == 0)
            return 0;
        if (addr == 0)
            return -1;
        if (!_useProcMem)
        {
            fixed (byte* p = dest)
            {
                Libc.IoVec local = new() { Base = p, Length = (nuint)dest.Length };
                Libc.IoVec remote = new() { Base = (void*)addr, Length = (nuint)dest.Length };
                VmReads++;
                nint n = Libc.process_vm_readv(tid, &local, 1, &remote, 1, 0);
                if (n > 0)
                    return (int)n;
                int err = Libc.LastError;
                if (err is not (38 /* ENOSYS */ or Libc.EPERM))
                {
                    // A read that crosses into an unmapped page fails as a whole: retry up to the page end.
                    ulong pageEnd = (addr | (PageSize - 1)) + 1;
                    if (pageEnd - addr < (ulong)dest.Length)
                    {
                        local.Length = remote.Length = (nuint)(pageEnd - addr);
                        n = Libc.process_vm_readv(tid, &local, 1, &remote, 1, 0);
                        return n > 0 ? (int)n : -1;
                    }
                    return -1;
                }
                _useProcMem = true;
            }
        }
        return ReadProcMem(tid, addr, dest);
    }

    private int ReadProcMem(int tid, ulong addr, Span<byte> dest)
    {
        ProcMemReads++;
        int len = WriteProcPath(tid, "/mem"u8);
        _path[len] = 0;
        int fd = Libc.open(_path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
            return -1;
        try
        {
            fixed (byte* p = dest)
            {
                nint n = Libc.pread(fd, p, dest.Length, (long)addr);
                return n > 0 ? (int)n : -1;
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes (without the
    /// NUL) into <paramref name="dest"/> (which must hold max+1). Returns its length, or -1 if
    /// unreadable; <paramref name="terminated"/> tells whether the NUL came within max+1 bytes.
    /// As strace's umovestr, memory that becomes unreadable before the NUL and before max+1 bytes
    /// makes the whole string unreadable (-1): strace prints such a string as its address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadString(int tid, ulong addr, Span<byte> dest, int max, out bool terminated)
    {
        terminated = false;
        if (addr == 0)
            return -1;
        int total = 0;
        int want = max + 1;
        while (total < want)
        {
            // Read in chunks that stop at page ends, so an unmapped next page does not fail the read.
            ulong at = addr + (ulong)total;
            int chunk = (int)Math.Min((ulong)(want - total), PageSize - (at & (PageSize - 1)));
            if (total == 0)
                chunk = Math.Min(chunk, 256); // most strings are short: a small first read
            int n = Read(tid, at, dest.Slice(total, chunk));
            // Unreadable memory before the NUL and before the limit: the string as a whole is
            // unreadable (strace then shows the address), even when its start could be read.
            if (n <= 0)
                return -1;
            int nul = dest.Slice(total, n).IndexOf((byte)0);
            if (nul >= 0)
            {
                terminated = true;
                return total + nul;
            }
            total += n;
            if (n < chunk)
                return -1;
        }
        return Math.Min(total, max);
    }

    /// <summary>readlink(/proc/TID/fd/N) (or /proc/TID/cwd when fd is null) into dest; -1 if none.</summary>
    public int ReadFdLink(int tid, int? fd, Span<byte> dest)
    {
        int len = fd is int n ? WriteProcPath(tid, "/fd/"u8, n) : WriteProcPath(tid, "/cwd"u8);
        _path[len] = 0;
        fixed (byte* p = dest)
        {
            nint r = Libc.readlink(_path, p, dest.Length);
            return r > 0 ? (int)r : -1;
        }
    }

    private int WriteProcPath(int tid, ReadOnlySpan<byte> suffix, int number = -1)
    {
        var span = new Span<byte>(_path, 63);
        "/proc/"u8.CopyTo(span);
        int len = 6;
        len += WriteDecimal(span[len..], tid);
        suffix.CopyTo(span[len..]);
        len += suffix.Length;
        if (number >= 0)
            len += WriteDecimal(span[len..], number);
        return len;
    }

    private static int WriteDecimal(Span<byte> dest, int value)
    {
        value.TryFormat(dest, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
