using Microsoft.Win32.SafeHandles;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Opens an input file so that reading it is bounded by the user, not by the input: a regular file
/// with contents is read as an ordinary FileStream; anything else (a FIFO, a pipe, a character
/// device, a /proc or /sys file whose size says nothing) is opened without blocking and read through
/// <see cref="PollingStream"/>, which waits in poll(2) beside an eventfd that cancellation sets, so
/// Ctrl+C or a downstream Select-Object -First ends the read at once even when no writer ever comes.
/// For output, <see cref="OpenStreamForWriting"/> does the same for an existing FIFO or device.
/// </summary>
internal static class TraceInput
{
    /// <summary>Opens <paramref name="path"/>; <paramref name="length"/> is the size of a regular
    /// file, -1 for a stream. Throws FileNotFoundException, UnauthorizedAccessException or
    /// IOException (for a directory, too) with a message a user can act on.</summary>
    public static unsafe Stream Open(string path, CancellationToken cancel, out long length, int bufferSize = 1)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC | Libc.O_NOCTTY);
        if (fd < 0)
        {
            int errno = Libc.LastError;
            throw errno switch
            {
                Libc.ENOENT => new FileNotFoundException("The file does not exist.", path),
                Libc.EACCES or Libc.EPERM => new UnauthorizedAccessException($"Access to '{path}' is denied ({Libc.ErrorText(errno)})."),
                _ => new IOException(Libc.ErrorText(errno)),
            };
        }
        if (!Libc.TryGetFileType(fd, out uint mode, out long size))
        {
            int errno = Libc.LastError;
            Libc.close(fd);
            throw new IOException(Libc.ErrorText(errno));
        }
        if ((mode & Libc.S_IFMT) == Libc.S_IFDIR)
        {
            Libc.close(fd);
            throw new IOException("It is a directory, not a file.");
        }
        if ((mode & Libc.S_IFMT) == Libc.S_IFREG && size > 0)
        {
            // O_NONBLOCK means nothing to a regular file's reads.
            Libc.posix_fadvise(fd, 0, 0, Libc.POSIX_FADV_SEQUENTIAL);
            length = size;
            return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize);
        }
        length = -1;
        return new PollingStream(fd, cancel);
    }

    /// <summary>An existing FIFO, pipe or device, opened for writing without waiting for a reader
    /// (a wait in open(2) that the user could not interrupt): a FIFO without a reader is an
    /// IOException at once. Null for a regular file or a path that does not exist.</summary>
    public static unsafe Stream? OpenStreamForWriting(string path)
    {
        int probe = Native.Libc.open(path, Native.Libc.O_PATH | Native.Libc.O_CLOEXEC);
        if (probe < 0)
            return null;
        bool special = Native.Libc.TryGetFileType(probe, out uint type, out _)
                       && (type & Native.Libc.S_IFMT) is not Native.Libc.S_IFREG and not Native.Libc.S_IFDIR;
        Native.Libc.close(probe);
        if (!special)
            return null;
        int fd = Native.Libc.open(path, Native.Libc.O_WRONLY | Native.Libc.O_NONBLOCK | Native.Libc.O_CLOEXEC | Native.Libc.O_NOCTTY);
        if (fd < 0)
        {
            int errno = Native.Libc.LastError;
            throw new IOException(errno == 6 /* ENXIO */
                ? "no process has the FIFO open for reading: start its reader first (Get-SyscallEvent, cat), then write to it"
                : Native.Libc.ErrorText(errno));
        }
        // Writes wait for the reader as usual from here on.
        Native.Libc.fcntl(fd, Native.Libc.F_SETFL, Native.Libc.fcntl(fd, Native.Libc.F_GETFL, 0) & ~Native.Libc.O_NONBLOCK);
        return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 1);
    }
}

/// <summary>
/// A read-only stream over a non-blocking descriptor whose reads wait in poll(2) together with an
/// eventfd that the cancellation token sets: a read blocked on an idle FIFO, pipe or terminal ends
/// with <see cref="OperationCanceledException"/> as soon as the token is cancelled. A FIFO that no
/// writer has opened yet is waited for (Linux reports no hang-up until a writer has come and gone).
/// </summary>
internal sealed unsafe class PollingStream : Stream
{
    private readonly int _fd;
    private readonly int _wake;
    private readonly CancellationToken _cancel;
    private readonly CancellationTokenRegistration _registration;
    private bool _disposed;

    /// <summary>Called on the reading thread when a read is about to wait for input: read-ahead
    /// hands on the events it has batched so far, so a live FIFO's events come out as they come.</summary>
    [ThreadStatic]
    public static Action? BeforeWaiting;

    public PollingStream(int fd, CancellationToken cancel)
    {
        _fd = fd;
        _cancel = cancel;
        _wake = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wake < 0)
        {
            int errno = Libc.LastError;
            Libc.close(fd);
            throw new IOException(Libc.ErrorText(errno));
        }
        _registration = cancel.Register(static state => Libc.Signal((int)state!), _wake);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            _cancel.ThrowIfCancellationRequested();
            Libc.PollFd* fds = stackalloc Libc.PollFd[2];
            fds[0] = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = _wake, Events = Libc.POLLIN };
            int timeout = 0;
            if (Libc.poll(fds, 2, 0) == 0)
            {
                // Nothing to read now: let the reader hand on what it has before waiting.
                BeforeWaiting?.Invoke();
                timeout = -1;
            }
            if (timeout != 0 && Libc.poll(fds, 2, timeout) < 0)
            {
                int errno = Libc.LastError;
                if (errno == Libc.EINTR)
                    continue;
                throw new IOException(Libc.ErrorText(errno));
            }
            if (fds[1].Revents != 0)
                throw new OperationCanceledException(_cancel);
            if (fds[0].Revents == 0)
                continue;
            fixed (byte* p = buffer)
            {
                nint n = Libc.read(_fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                int errno = Libc.LastError;
                if (errno is Libc.EAGAIN or Libc.EINTR)
                    continue;
                throw new IOException(Libc.ErrorText(errno));
            }
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _registration.Dispose();
            Libc.close(_fd);
            Libc.close(_wake);
        }
        base.Dispose(disposing);
    }
}
