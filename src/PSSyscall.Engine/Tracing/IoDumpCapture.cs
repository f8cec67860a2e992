using System.Buffers.Binary;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// strace -e read=SET / -e write=SET: copies the whole data a call read from, or wrote to, a
/// descriptor of the sets, at its exit stop (as strace does). Written data is dumped whatever the
/// result, read data only when the call succeeded. The capture (slot <see cref="CaptureSlot.IoDump"/>)
/// is a list of segments [int32 tag][int32 length][bytes]: tag -1 for a plain buffer, k >= 0 for
/// buffer k of an iovec, and int.MinValue + n for "vector v holds n buffers" of an mmsghdr array
/// (its length field then holds v, and no bytes follow). Tracer thread only.
/// </summary>
internal sealed class IoDumpCapture
{
    /// <summary>Most bytes dumped per call; a call that moves more shows its first 16 MiB.</summary>
    public const int MaxBytes = 16 << 20;

    private const int PlainTag = -1;
    private readonly DescriptorSet? _read;
    private readonly DescriptorSet? _write;
    private readonly TraceeMemory _memory = new();
    private readonly byte[] _scratch = new byte[64];
    private int _budget;

    public IoDumpCapture(DescriptorSet? read, DescriptorSet? write)
    {
        _read = read;
        _write = write;
    }

    public static IoDumpCapture? Create(DescriptorSet? read, DescriptorSet? write)
        => read is null && write is null ? null : new IoDumpCapture(read, write);

    /// <summary>At a native (x86_64) call's exit: adds the dump of its data, if it has one to dump.</summary>
    public void Capture(int tid, int number, ulong a0, ulong a1, ulong a2, long ret, CaptureBuffer into)
    {
        int fd = (int)a0;
        bool failed = ret < 0 && ret >= -4095;
        _budget = MaxBytes;
        int mark = into.Length;
        // The slot is written as header + segments: begin it, then fill.
        into.Begin(0);
        int start = into.Length;
        into.Length += CaptureBuffer.HeaderSize;
        bool any = false;
        if (_write is not null && _write.Contains(fd))
        {
            switch (number)
            {
                case 1 or 18 or 44 or 242: // write, pwrite64, sendto, mq_timedsend
                    any = AddPlain(tid, a1, (long)a2, into);
                    break;
                case 20 or 296 or 328 or 278: // writev, pwritev, pwritev2, vmsplice
                    any = AddIovec(tid, a1, a2, long.MaxValue, into);
                    break;
                case 46: // sendmsg
                    any = AddMsghdr(tid, a1, long.MaxValue, into);
                    break;
                case 307: // sendmmsg
                    any = !failed && AddMmsghdrs(tid, a1, ret, into);
                    break;
            }
        }
        if (!failed && _read is not null && _read.Contains(fd))
        {
            switch (number)
            {
                case 0 or 17 or 45 or 243: // read, pread64, recvfrom, mq_timedreceive
                    any |= AddPlain(tid, a1, ret, into);
                    break;
                case 19 or 295 or 327: // readv, preadv, preadv2
                    any |= AddIovec(tid, a1, a2, ret, into);
                    break;
                case 47: // recvmsg
                    any |= AddMsghdr(tid, a1, ret, into);
                    break;
                case 299: // recvmmsg
                    any |= AddMmsghdrs(tid, a1, ret, into);
                    break;
            }
        }
        if (!any)
        {
            into.Length = mark;
            return;
        }
        int length = into.Length - start - CaptureBuffer.HeaderSize;
        into.Length = start;
        into.Commit(CaptureSlot.IoDump, CaptureStatus.Ok, length);
    }

    private bool AddPlain(int tid, ulong addr, long count, CaptureBuffer into)
        => count > 0 && AddSegment(tid, PlainTag, addr, count, into);

    private bool AddSegment(int tid, int tag, ulong addr, long count, CaptureBuffer into)
    {
        int n = (int)Math.Min(count, _budget);
        if (n <= 0)
            return false;
        int at = into.Length;
        Span<byte> room = into.Begin(8 + n);
        // Begin reserves a slot header before the room; segments are written in place instead.
        room = into.Data.AsSpan(at, 8 + n);
        int got = _memory.Read(tid, addr, room.Slice(8, n));
        if (got <= 0)
            return false; // unreadable: strace prints nothing either
        BinaryPrimitives.WriteInt32LittleEndian(room, tag);
        BinaryPrimitives.WriteInt32LittleEndian(room[4..], got);
        into.Length = at + 8 + got;
        _budget -= got;
        return true;
    }

    private void AddMarker(int buffers, int vector, CaptureBuffer into)
    {
        int at = into.Length;
        into.Begin(8);
        Span<byte> room = into.Data.AsSpan(at, 8);
        BinaryPrimitives.WriteInt32LittleEndian(room, int.MinValue + buffers);
        BinaryPrimitives.WriteInt32LittleEndian(room[4..], vector);
        into.Length = at + 8;
    }

    /// <summary>strace's dumpiov_upto: each buffer's share of <paramref name="dataSize"/>, up to the
    /// first empty one.</summary>
    private bool AddIovec(int tid, ulong addr, ulong count, long dataSize, CaptureBuffer into)
    {
        bool any = false;
        Span<byte> iov = _scratch.AsSpan(0, 16);
        for (int i = 0; i < (int)Math.Min(count, 1024UL); i++)
        {
            if (_memory.Read(tid, addr + (ulong)(16 * i), iov) != 16)
                break;
            ulong baseAddr = BinaryPrimitives.ReadUInt64LittleEndian(iov);
            long length = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(iov[8..]), (ulong)long.MaxValue);
            length = Math.Min(length, dataSize);
            if (length <= 0)
                break;
            dataSize -= length;
            any |= AddSegment(tid, i, baseAddr, length, into);
        }
        return any;
    }

    private bool AddMsghdr(int tid, ulong addr, long dataSize, CaptureBuffer into)
    {
        Span<byte> header = _scratch.AsSpan(0, 56);
        if (_memory.Read(tid, addr, header) != 56)
            return false;
        return AddIovec(tid, BinaryPrimitives.ReadUInt64LittleEndian(header[16..]), BinaryPrimitives.ReadUInt64LittleEndian(header[24..]), dataSize, into);
    }

    /// <summary>strace's dumpiov_in_mmsghdr: the messages the call handled (its result), each
    /// announced with its buffer count and dumped up to its msg_len.</summary>
    private bool AddMmsghdrs(int tid, ulong addr, long count, CaptureBuffer into)
    {
        bool any = false;
        Span<byte> m = _scratch.AsSpan(0, 64);
        for (int k = 0; k < (int)Math.Min(count, 1024); k++)
        {
            if (_memory.Read(tid, addr + (ulong)(64 * k), m) != 64)
                break;
            ulong iovlen = BinaryPrimitives.ReadUInt64LittleEndian(m[24..]);
            uint msgLen = BinaryPrimitives.ReadUInt32LittleEndian(m[56..]);
            AddMarker((int)Math.Min(iovlen, 1024UL), k, into);
            any = true;
            AddIovec(tid, BinaryPrimitives.ReadUInt64LittleEndian(m[16..]), iovlen, msgLen, into);
        }
        return any;
    }
}
