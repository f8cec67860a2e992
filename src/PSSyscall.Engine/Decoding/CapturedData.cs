using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding;

/// <summary>Reads one record's captures (see <see cref="CaptureBuffer"/>) on the consumer thread.</summary>
internal readonly ref struct CapturedData
{
    private readonly ReadOnlySpan<byte> _data;

    public CapturedData(ReadOnlySpan<byte> data) => _data = data;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGet(int slot, out ReadOnlySpan<byte> bytes, out CaptureStatus status)
    {
        int off = 0;
        while (off + CaptureBuffer.HeaderSize <= _data.Length)
        {
            int s = _data[off];
            int len = BinaryPrimitives.ReadInt32LittleEndian(_data[(off + 4)..]);
            if (s == slot)
            {
                status = (CaptureStatus)_data[off + 1];
                bytes = _data.Slice(off + CaptureBuffer.HeaderSize, len);
                return true;
            }
            off += CaptureBuffer.HeaderSize + len;
        }
        bytes = default;
        status = CaptureStatus.Fault;
        return false;
    }

    /// <summary>Bytes of a slot only when fully captured with at least <paramref name="min"/> bytes.</summary>
    public bool TryGetFull(int slot, int min, out ReadOnlySpan<byte> bytes)
        => TryGet(slot, out bytes, out CaptureStatus st) && st != CaptureStatus.Fault && bytes.Length >= min;
}
