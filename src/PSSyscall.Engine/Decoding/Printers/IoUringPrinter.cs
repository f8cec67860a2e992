using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>io_uring_register(fd, opcode, arg, nr_args): the argument by opcode (the resource
/// register and update structures of FILES2/BUFFERS2/FILES_UPDATE2/BUFFERS_UPDATE, whose size is
/// nr_args; the provided-buffer ring of (UN)REGISTER_PBUF_RING), else the address and the count.</summary>
internal sealed class IoUringRegisterPrinter : SyscallPrinter
{
    public static readonly IoUringRegisterPrinter Instance = new();

    private const ulong RegisterFiles2 = 13, FilesUpdate2 = 14, RegisterBuffers2 = 15, BuffersUpdate = 16;
    private const ulong RegisterPbufRing = 22, UnregisterPbufRing = 23;

    /// <summary>struct io_uring_rsrc_register and struct io_uring_rsrc_update2 are both 32 bytes.</summary>
    internal const int RsrcSize = 32;

    /// <summary>struct io_uring_buf_reg.</summary>
    internal const int BufRegSize = 40;

    /// <summary>The most of a structure's tail beyond its known size that is captured.</summary>
    private const int MaxSized = 4096;

    private static readonly Named[] RsrcRegisterFlags = { new(1, "IORING_RSRC_REGISTER_SPARSE") };

    public override ConditionalPlan[] Captures { get; } =
    {
        // The structure is nr_args bytes long: all of them, to show a non-zero or unreadable tail.
        new(1, new[] { RegisterFiles2, FilesUpdate2, RegisterBuffers2, BuffersUpdate }, 2,
            new CapturePlan(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 1, Argument: 3, Max: MaxSized)),
        new(1, new[] { RegisterPbufRing, UnregisterPbufRing }, 2, CapturePlan.AtEntry(BufRegSize)),
    };

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        SyscallDecoder.Fd(ref c, sb, (int)c.Args[0], CaptureSlot.FdLink(0));
        sb.Append(", ");
        uint op = (uint)c.Args[1];
        ulong arg = c.Args[2];
        uint nr = (uint)c.Args[3];
        FlagTables.Enum(sb, op, IoUringRegisterOps, "IORING_REGISTER_???");
        sb.Append(", ");
        bool printed = false;
        switch (op)
        {
            case (uint)RegisterFiles2 or (uint)RegisterBuffers2 or (uint)FilesUpdate2 or (uint)BuffersUpdate:
                if (nr >= RsrcSize && c.Data.TryGet(CaptureSlot.Entry(2), out ReadOnlySpan<byte> b, out CaptureStatus st)
                    && st != CaptureStatus.Fault && b.Length >= RsrcSize)
                {
                    if (op is (uint)RegisterFiles2 or (uint)RegisterBuffers2)
                        RsrcRegister(sb, b);
                    else
                        RsrcUpdate(sb, b);
                    Tail(sb, b, RsrcSize, (int)Math.Min(nr, MaxSized), st == CaptureStatus.Truncated);
                    sb.Append('}');
                    printed = true;
                }
                break;
            case (uint)RegisterPbufRing or (uint)UnregisterPbufRing:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), BufRegSize, out b))
                {
                    BufReg(sb, b);
                    printed = true;
                }
                break;
        }
        if (!printed)
            StraceText.Pointer(sb, arg);
        sb.Append(", ").Append(nr.ToString(inv));
    }

    /// <summary>{nr=.., flags=..[, resv2=..], data=.., tags=..</summary>
    internal static void RsrcRegister(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint nr = BinaryPrimitives.ReadUInt32LittleEndian(b);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        ulong resv2 = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        sb.Append("{nr=").Append(nr.ToString(CultureInfo.InvariantCulture)).Append(", flags=");
        Flags(sb, flags, RsrcRegisterFlags, "IORING_RSRC_REGISTER_???");
        if (resv2 != 0)
        {
            sb.Append(", resv2=");
            StraceText.Hex(sb, resv2);
        }
        RsrcArrays(sb, nr, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
    }

    /// <summary>{offset=..[, resv=..], data=.., tags=.., nr=..[, resv2=..]</summary>
    internal static void RsrcUpdate(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(b);
        uint resv = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        uint nr = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
        uint resv2 = BinaryPrimitives.ReadUInt32LittleEndian(b[28..]);
        sb.Append("{offset=").Append(offset.ToString(inv));
        if (resv != 0)
        {
            sb.Append(", resv=");
            StraceText.Hex(sb, resv);
        }
        RsrcArrays(sb, nr, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadUInt64LittleEndian(b[16..]));
        sb.Append(", nr=").Append(nr.ToString(inv));
        if (resv2 != 0)
        {
            sb.Append(", resv2=");
            StraceText.Hex(sb, resv2);
        }
    }

    /// <summary>data= and tags=: arrays of nr elements (empty when nr is 0), NULL, or the address
    /// when the elements were not captured.</summary>
    private static void RsrcArrays(StringBuilder sb, uint nr, ulong data, ulong tags)
    {
        sb.Append(", data=");
        EmptyOrAddress(sb, nr, data);
        sb.Append(", tags=");
        EmptyOrAddress(sb, nr, tags);
    }

    private static void EmptyOrAddress(StringBuilder sb, uint nr, ulong addr)
    {
        if (addr != 0 && nr == 0)
            sb.Append("[]");
        else
            StraceText.Pointer(sb, addr);
    }

    /// <summary>The bytes past the known structure, up to the size the call was given: "???" when
    /// they could not be read, else a hex string of them when any is non-zero.</summary>
    internal static void Tail(StringBuilder sb, ReadOnlySpan<byte> b, int known, int size, bool unreadable)
    {
        if (size <= known)
            return;
        if (unreadable)
        {
            sb.Append(", ???");
            return;
        }
        ReadOnlySpan<byte> tail = b[known..Math.Min(size, b.Length)];
        if (tail.IndexOfAnyExcept((byte)0) < 0)
            return;
        var inv = CultureInfo.InvariantCulture;
        sb.Append(", /* bytes ").Append(known.ToString(inv)).Append("..").Append((known + tail.Length - 1).ToString(inv)).Append(" */ ");
        StraceText.Quote(sb, tail, false, hex: true);
    }

    /// <summary>struct io_uring_buf_reg: {ring_addr=.., ring_entries=.., bgid=..[, pad=..][, resv=[..]]}.</summary>
    internal static void BufReg(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{ring_addr=");
        StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
        sb.Append(", ring_entries=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString(inv))
          .Append(", bgid=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[12..]).ToString(inv));
        ushort pad = BinaryPrimitives.ReadUInt16LittleEndian(b[14..]);
        if (pad != 0)
        {
            sb.Append(", pad=");
            StraceText.Hex(sb, pad);
        }
        if (b[16..BufRegSize].IndexOfAnyExcept((byte)0) >= 0)
        {
            sb.Append(", resv=[");
            for (int i = 0; i < 3; i++)
            {
                if (i > 0) sb.Append(", ");
                StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[(16 + 8 * i)..]));
            }
            sb.Append(']');
        }
        sb.Append('}');
    }
}
