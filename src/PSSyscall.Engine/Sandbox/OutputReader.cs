using System.Text;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// Reads one of the command's output pipes on its own thread and posts each line. It waits for a
/// free slot before posting, so a slow consumer makes the pipe fill and the command block on its
/// writes, as with any native command. It ends at EOF, or when told to drain (the command's tree is
/// gone but something outside the sandbox's reach may still hold the pipe): then it reads what is
/// buffered and stops.
/// </summary>
internal sealed unsafe class OutputReader
{
    private readonly int _fd;
    private readonly int _drainFd;
    private readonly SandboxMessageKind _kind;
    private readonly Action<SandboxMessage> _post;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationToken _cancel;
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();
    private bool _lastWasCr;
    private readonly Thread _thread;

    public OutputReader(int fd, int drainFd, SandboxMessageKind kind, Action<SandboxMessage> post, SemaphoreSlim slots, CancellationToken cancel, Action done)
    {
        _fd = fd;
        _drainFd = drainFd;
        _kind = kind;
        _post = post;
        _slots = slots;
        _cancel = cancel;
        _thread = new Thread(() =>
        {
            try
            {
                Run();
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Libc.close(_fd);
                done();
            }
        })
        { IsBackground = true, Name = "PSSyscall sandbox " + kind };
    }

    public void Start() => _thread.Start();

    public void Join() => _thread.Join();

    private void Run()
    {
        byte[] buffer = new byte[16384];
        char[] chars = new char[16384 + 8];
        Libc.PollFd* fds = stackalloc Libc.PollFd[2];
        bool draining = false;
        while (true)
        {
            if (!draining)
            {
                fds[0] = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
                fds[1] = new Libc.PollFd { Fd = _drainFd, Events = Libc.POLLIN };
                if (Libc.poll(fds, 2, -1) < 0)
                {
                    if (Libc.LastError == Libc.EINTR)
                        continue;
                    break;
                }
                if (fds[1].Revents != 0)
                    draining = true;
            }
            nint n;
            fixed (byte* p = buffer)
                n = Libc.read(_fd, p, buffer.Length);
            if (n < 0)
            {
                int err = Libc.LastError;
                if (err == Libc.EINTR)
                    continue;
                if (err == Libc.EAGAIN && !draining)
                    continue;
                break; // EAGAIN while draining: nothing more buffered
            }
            if (n == 0)
                break;
            int count = _decoder.GetChars(buffer, 0, (int)n, chars, 0, flush: false);
            Split(chars.AsSpan(0, count));
        }
        if (_line.Length > 0)
            Post();
    }

    private void Split(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c == '\n')
            {
                if (!_lastWasCr)
                    Post();
                _lastWasCr = false;
            }
            else if (c == '\r')
            {
                Post();
                _lastWasCr = true;
            }
            else
            {
                _line.Append(c);
                _lastWasCr = false;
            }
        }
    }

    private void Post()
    {
        _slots.Wait(_cancel);
        _post(new SandboxMessage(_kind, _line.ToString(), null));
        _line.Clear();
    }
}
