using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Storage;

/// <summary>
/// Reads a stream line by line as UTF-8 byte spans over one reusable buffer: no string per line,
/// memory bounded by the longest line (itself capped), whatever the file's size.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    /// <summary>Longer lines are reported and skipped rather than buffered.</summary>
    public const int MaxLineLength = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(Stream stream, int bufferSize = 256 * 1024)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>The number of the line last returned (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes taken from the stream so far (for progress; read from another thread too,
    /// which an aligned long allows on 64-bit).</summary>
    public long BytesRead { get; private set; }

    /// <summary>True when the line last returned ended at the end of the file without a newline.</summary>
    public bool LastLineUnterminated { get; private set; }

    /// <summary>True when the line last returned was cut at <see cref="MaxLineLength"/> (the rest is skipped).</summary>
    public bool LastLineTooLong { get; private set; }

    /// <summary>True once the stream has ended and everything read has been handed out or peeked.</summary>
    public bool AtEnd => _eof;

    /// <summary>The first bytes of the stream (after a UTF-8 byte order mark), for format detection:
    /// up to <paramref name="count"/>, or less once a whole line has come (a FIFO that a live strace
    /// writes to may hold one line for a long while). Call before the first <see cref="TryReadLine"/>.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        while (_end - _start < count && !_eof && _buffer.AsSpan(_start, _end - _start).TrimStart(" \t\r\n"u8).IndexOf((byte)'\n') < 0)
            Fill();
        if (LineNumber == 0 && _end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
            _start += 3;
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        LastLineUnterminated = false;
        LastLineTooLong = false;
        int searched = 0;
        while (true)
        {
            int nl = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int length = searched + nl;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, length));
                _start += length + 1;
                LineNumber++;
                return true;
            }
            searched = _end - _start;
            if (_eof)
            {
                if (_start < _end)
                {
                    line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    LineNumber++;
                    LastLineUnterminated = true;
                    return true;
                }
                line = default;
                return false;
            }
            if (searched >= MaxLineLength)
            {
                line = _buffer.AsSpan(_start, searched);
                _start = _end;
                SkipToNextLine();
                LineNumber++;
                LastLineTooLong = true;
                return true;
            }
            Fill();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void SkipToNextLine()
    {
        while (!_eof)
        {
            _start = _end = 0;
            Fill();
            int nl = _buffer.AsSpan(0, _end).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                _start = nl + 1;
                return;
            }
        }
        _start = _end;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineLength + 1));
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
            _eof = true;
        else
        {
            _end += n;
            BytesRead += n;
        }
    }

    public void Dispose() => _stream.Dispose();
}
