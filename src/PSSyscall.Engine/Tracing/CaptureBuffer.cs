using System.Runtime.CompilerServices;
namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Bytes copied from a tracee at a stop (strings, structures, buffers, descriptor links), since its
/// memory and descriptors change once it runs on. A growable arena reused for the tracer's life:
/// one per batch (what its records reference) and one per thread (a call's entry captures, until
/// its exit). Each capture is a slot: an 8-byte header [slot, status, 0, 0, length:int32] and data.
/// </summary>
internal sealed class CaptureBuffer
{
    public const int HeaderSize = 8;

    public byte[] Data;
    public int Length;

    public CaptureBuffer(int capacity) => Data = new byte[capacity];

    public void Clear() => Length = 0;

    /// <summary>Room for a capture of up to <paramref name="maxBytes"/>; finish with <see cref="Commit"/>.</summary>
    public Span<byte> Begin(int maxBytes)
    {
        Ensure(HeaderSize + maxBytes);
        return Data.AsSpan(Length + HeaderSize, maxBytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Commit(int slot, CaptureStatus status, int bytes)
    {
        Data[Length] = (byte)slot;
        Data[Length + 1] = (byte)status;
        Data[Length + 2] = 0;
        Data[Length + 3] = 0;
        BitConverter.TryWriteBytes(Data.AsSpan(Length + 4, 4), bytes);
        Length += HeaderSize + bytes;
    }

    public void Add(int slot, CaptureStatus status, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Begin(bytes.Length));
        Commit(slot, status, bytes.Length);
    }

    public void AddInt(int slot, long value)
    {
        BitConverter.TryWriteBytes(Begin(8), value);
        Commit(slot, CaptureStatus.Ok, 8);
    }

    public void Append(CaptureBuffer other)
    {
        if (other.Length == 0)
            return;
        Ensure(other.Length);
        Buffer.BlockCopy(other.Data, 0, Data, Length, other.Length);
        Length += other.Length;
    }

    /// <summary>Captures already in this format (the eBPF backend's records), copied as they are.</summary>
    public void AppendRaw(ReadOnlySpan<byte> captures)
    {
        Ensure(captures.Length);
        captures.CopyTo(Data.AsSpan(Length));
        Length += captures.Length;
    }

    private void Ensure(int extra)
    {
        if (Length + extra <= Data.Length)
            return;
        int size = Data.Length * 2;
        while (size < Length + extra)
            size *= 2;
        Array.Resize(ref Data, size);
    }
}

/// <summary>How a capture went.</summary>
internal enum CaptureStatus : byte
{
    Ok = 0,
    /// <summary>The address could not be read (strace then shows the address).</summary>
    Fault = 1,
    /// <summary>A NUL-terminated string had no NUL within the limit: shown with "...".</summary>
    Truncated = 2,
}

/// <summary>Slot numbers within a record's captures.</summary>
internal static class CaptureSlot
{
    public static int Entry(int arg) => arg;          // 0..5: memory read at entry
    public static int Exit(int arg) => 16 + arg;      // 16..21: memory read at exit
    public static int FdLink(int arg) => 8 + arg;     // 8..13: what an fd argument refers to
    public const int ReturnFdLink = 14;
    public const int PairFdLink0 = 24;                // pipe/socketpair results
    public const int PairFdLink1 = 25;
    public const int ControlData = 26;                // msghdr's msg_control bytes
    public const int Extra = 30;                      // kind-specific second capture
    public static int ArrayFdLink(int index) => 32 + index; // 32..95: descriptors inside an array
    public const int ArrayFdLinks = 64;
    /// <summary>sendmmsg/recvmmsg: element k's name and iovec (96..159).</summary>
    public static int MessageName(int element) => 96 + 2 * element;
    public static int MessageIovec(int element) => 97 + 2 * element;
    public const int MaxMessages = 32;
    /// <summary>Arrays a captured structure points to (<see cref="Decoding.Printers.NestedArray"/>): 160..167.</summary>
    public static int Nested(int k) => 160 + k;
    /// <summary>strace -e read=/write=: the data of the call (<see cref="IoDumpCapture"/>).</summary>
    public const int IoDump = 200;
    /// <summary>strace -k: the call's stack, frames as text (<see cref="StackUnwinder"/>).</summary>
    public const int StackTrace = 201;
}
