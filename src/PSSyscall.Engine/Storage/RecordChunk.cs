using System.Runtime.CompilerServices;
using System.Buffers;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Consecutive records of one file, copied out of the line reader's buffer so that another thread can
/// parse them while the next ones are read. Each entry keeps what an error report needs: the line
/// number, whether the line was the file's unterminated last one, or an error the reader already found
/// (a line too long, a bad CSV header). Buffers come from the shared array pool and go back on
/// <see cref="Release"/>.
/// </summary>
internal sealed class RecordChunk
{
    /// <summary>A chunk is handed on when it holds this many bytes or <see cref="MaxRecords"/> records.</summary>
    public const int TargetBytes = 64 * 1024;
    public const int MaxRecords = 256;

    public struct Entry
    {
        public int Offset;
        public int Length;
        public long LineNumber;
        public bool Unterminated;
        /// <summary>Set when the reader already knows the record is malformed.</summary>
        public string? Error;
    }

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(TargetBytes);
    private int _used;
    private readonly Entry[] _entries = new Entry[MaxRecords];

    public int Count { get; private set; }

    public bool IsFull => Count == MaxRecords || _used >= TargetBytes;

    public ref readonly Entry this[int index] => ref _entries[index];

    public ReadOnlySpan<byte> Bytes(in Entry entry) => _bytes.AsSpan(entry.Offset, entry.Length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<byte> record, long lineNumber, bool unterminated)
    {
        if (_bytes.Length - _used < record.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + record.Length));
            _bytes.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }
        record.CopyTo(_bytes.AsSpan(_used));
        _entries[Count++] = new Entry { Offset = _used, Length = record.Length, LineNumber = lineNumber, Unterminated = unterminated };
        _used += record.Length;
    }

    public void AddError(string message, long lineNumber, bool unterminated)
        => _entries[Count++] = new Entry { LineNumber = lineNumber, Unterminated = unterminated, Error = message };

    /// <summary>Empties the chunk for reuse (the sequential reader keeps one).</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    public void Release()
    {
        if (_bytes.Length > 0)
            ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = Array.Empty<byte>();
    }
}
