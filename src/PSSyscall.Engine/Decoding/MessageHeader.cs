using System.Buffers.Binary;

namespace PSSyscall.Engine.Decoding;

/// <summary>
/// struct msghdr as x86_64 lays it out (56 bytes): read once from the tracee's bytes by the capture
/// (to follow its name, iovec and control pointers) and by the decoder (to show it).
/// </summary>
internal readonly struct MessageHeader
{
    public const int Size = 56;

    public MessageHeader(ReadOnlySpan<byte> h)
    {
        Name = BinaryPrimitives.ReadUInt64LittleEndian(h);
        NameLength = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        Iov = BinaryPrimitives.ReadUInt64LittleEndian(h[16..]);
        IovLength = BinaryPrimitives.ReadUInt64LittleEndian(h[24..]);
        Control = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        ControlLength = BinaryPrimitives.ReadUInt64LittleEndian(h[40..]);
        Flags = BinaryPrimitives.ReadInt32LittleEndian(h[48..]);
    }

    public ulong Name { get; }
    public int NameLength { get; }
    public ulong Iov { get; }
    public ulong IovLength { get; }
    public ulong Control { get; }
    public ulong ControlLength { get; }
    public int Flags { get; }
}
