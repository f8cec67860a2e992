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
    // Before Instance: static fields initialize in order, and Instance's captures use it.
    private static readonly CapturePlan Sized = new(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 1, Argument: 3, Max: 4096);

    private static readonly int[] FdArray = Enumerable.Range(0, 32).Select(k => k * 4).ToArray();

    public static readonly IoUringRegisterPrinter Instance = new();

    private const ulong RegisterBuffers = 0, RegisterFiles = 2, RegisterEventfd = 4, RegisterEventfdAsync = 7, RegisterRestrictions = 11;
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
        // nr_args descriptors, or iovecs.
        new(1, new[] { RegisterFiles, RegisterEventfd, RegisterEventfdAsync }, 2,
            new CapturePlan(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 4, Argument: 3, Max: 4096), FdOffsets: FdArray),
        new(1, new[] { RegisterBuffers, RegisterRestrictions }, 2, new CapturePlan(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 16, Argument: 3, Max: 4096)),
        // Its data (descriptors or iovecs) and tags (u64) arrays of nr elements are captured too.
        new(1, new[] { RegisterFiles2 }, 2, Sized, Nested: new NestedArray[] { new(16, 0, 4, 0, Descriptors: true), new(24, 0, 8, 1) }),
        new(1, new[] { RegisterBuffers2 }, 2, Sized, Nested: new NestedArray[] { new(16, 0, 16, 0), new(24, 0, 8, 1) }),
        new(1, new[] { FilesUpdate2 }, 2, Sized, Nested: new NestedArray[] { new(8, 24, 4, 0, Descriptors: true), new(16, 24, 8, 1) }),
        new(1, new[] { BuffersUpdate }, 2, Sized, Nested: new NestedArray[] { new(8, 24, 16, 0), new(16, 24, 8, 1) }),
        new(1, new[] { RegisterPbufRing, UnregisterPbufRing }, 2, CapturePlan.AtEntry(BufRegSize)),
    };

    // i386: the structures are made of __u64 fields (the same bytes), but the iovecs of
    // REGISTER_BUFFERS are 8 bytes (widened), and the iovec arrays the *2 structures point to are
    // not followed (only their tags).
    private ConditionalPlan[]? _compat;

    public override ConditionalPlan[]? CompatCaptures => _compat ??= Captures.Select(p =>
        System.Array.IndexOf(p.Values, RegisterBuffers) >= 0
            ? p with { Values = new[] { RegisterBuffers }, Plan = p.Plan with { Compat = Codecs.CompatLayout.Of("ptr ulong") } }
            : p.Nested is { } nested && nested.Any(n => n.ElementSize == 16)
                ? p with { Nested = nested.Where(n => n.ElementSize != 16).ToArray() }
                : p)
        .Append(new ConditionalPlan(1, new[] { RegisterRestrictions }, 2, new CapturePlan(CaptureWhen.Entry, CaptureLength.ArgumentCount, Bytes: 16, Argument: 3, Max: 4096)))
        .ToArray();

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        DecodeText.Fd(ref c, sb, (int)c.Args[0], CaptureSlot.FdLink(0));
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
                    bool files = op is (uint)RegisterFiles2 or (uint)FilesUpdate2;
                    if (op is (uint)RegisterFiles2 or (uint)RegisterBuffers2)
                        RsrcRegister(ref c, sb, b, files);
                    else
                        RsrcUpdate(ref c, sb, b, files);
                    Tail(sb, b, RsrcSize, (int)Math.Min(nr, MaxSized), st == CaptureStatus.Truncated);
                    sb.Append('}');
                    printed = true;
                }
                break;
            case (uint)RegisterRestrictions when nr == 0 && arg != 0:
                sb.Append("[]");
                printed = true;
                break;
            case (uint)RegisterFiles or (uint)RegisterEventfd or (uint)RegisterEventfdAsync or (uint)RegisterBuffers or (uint)RegisterRestrictions when nr > 0:
                ElementKind kind = op switch { (uint)RegisterBuffers => ElementKind.Iovec, (uint)RegisterRestrictions => ElementKind.Restriction, _ => ElementKind.Fd };
                if (c.Data.TryGet(CaptureSlot.Entry(2), out b, out st) && st != CaptureStatus.Fault)
                {
                    Elements(ref c, sb, arg, b, st == CaptureStatus.Truncated, nr, kind == ElementKind.Fd ? 4 : 16, kind);
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
    internal static void RsrcRegister(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, bool files)
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
        RsrcArrays(ref c, sb, nr, BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), BinaryPrimitives.ReadUInt64LittleEndian(b[24..]), files, update: false);
    }

    /// <summary>{offset=..[, resv=..], data=.., tags=.., nr=..[, resv2=..]</summary>
    internal static void RsrcUpdate(ref DecodeContext c, StringBuilder sb, ReadOnlySpan<byte> b, bool files)
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
        RsrcArrays(ref c, sb, nr, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadUInt64LittleEndian(b[16..]), files, update: true);
        sb.Append(", nr=").Append(nr.ToString(inv));
        if (resv2 != 0)
        {
            sb.Append(", resv2=");
            StraceText.Hex(sb, resv2);
        }
    }

    /// <summary>data= and tags=: arrays of nr elements (descriptors, iovecs, u64 tags), NULL, or the
    /// address when none could be read; "... /* address */" where the memory ended early.</summary>
    private static void RsrcArrays(ref DecodeContext c, StringBuilder sb, uint nr, ulong data, ulong tags, bool files, bool update)
    {
        sb.Append(", data=");
        Array(ref c, sb, nr, data, CaptureSlot.Nested(0), files ? 4 : 16, files ? (update ? ElementKind.FdOrSkip : ElementKind.Fd) : ElementKind.Iovec);
        sb.Append(", tags=");
        Array(ref c, sb, nr, tags, CaptureSlot.Nested(1), 8, ElementKind.Tag);
    }

    private enum ElementKind { Fd, FdOrSkip, Iovec, Tag, Restriction }

    private static readonly Named[] RestrictionOps =
    {
        new(0, "IORING_RESTRICTION_REGISTER_OP"), new(1, "IORING_RESTRICTION_SQE_OP"),
        new(2, "IORING_RESTRICTION_SQE_FLAGS_ALLOWED"), new(3, "IORING_RESTRICTION_SQE_FLAGS_REQUIRED"),
    };

    private static readonly Named[] SqeFlags =
    {
        new(0x1, "IOSQE_FIXED_FILE"), new(0x2, "IOSQE_IO_DRAIN"), new(0x4, "IOSQE_IO_LINK"), new(0x8, "IOSQE_IO_HARDLINK"),
        new(0x10, "IOSQE_ASYNC"), new(0x20, "IOSQE_BUFFER_SELECT"), new(0x40, "IOSQE_CQE_SKIP_SUCCESS"),
    };

    /// <summary>enum io_uring_op as strace 6.1 knows it (0..46).</summary>
    internal static readonly string[] SqeOps =
    {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE", "SYNC_FILE_RANGE",
        "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT", "CONNECT",
        "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE", "FADVISE", "MADVISE", "SEND", "RECV",
        "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT",
        "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD",
    };

    /// <summary>struct io_uring_restriction: {opcode, the operand it names[, resv][, resv2]}.</summary>
    private static void Restriction(StringBuilder sb, ReadOnlySpan<byte> e)
    {
        var inv = CultureInfo.InvariantCulture;
        ushort opcode = BinaryPrimitives.ReadUInt16LittleEndian(e);
        byte operand = e[2], resv = e[3];
        sb.Append("{opcode=");
        FlagTables.Enum(sb, opcode, RestrictionOps, "IORING_RESTRICTION_???");
        switch (opcode)
        {
            case 0:
                sb.Append(", register_op=");
                FlagTables.Enum(sb, operand, IoUringRegisterOps, "IORING_REGISTER_???");
                break;
            case 1:
                sb.Append(", sqe_op=");
                if (operand < SqeOps.Length) DecodeText.Code(sb, "IORING_OP_" + SqeOps[operand], operand);
                else
                {
                    sb.Append("0x").Append(operand.ToString("x", inv));
                    if (DecodeStyle.Constants != ConstantStyle.Raw) sb.Append(" /* IORING_OP_??? */");
                }
                break;
            case 2 or 3:
                sb.Append(", sqe_flags=");
                Flags(sb, operand, SqeFlags, "IOSQE_???");
                break;
            default:
                sb.Append(" /* op: ");
                StraceText.Hex(sb, operand);
                sb.Append(" */");
                break;
        }
        if (resv != 0)
        {
            sb.Append(", resv=");
            StraceText.Hex(sb, resv);
        }
        if (e[4..16].IndexOfAnyExcept((byte)0) >= 0)
        {
            sb.Append(", resv2=[");
            for (int k = 0; k < 3; k++)
            {
                if (k > 0) sb.Append(", ");
                StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(e[(4 + 4 * k)..]));
            }
            sb.Append(']');
        }
        sb.Append('}');
    }

    private static void Array(ref DecodeContext c, StringBuilder sb, uint nr, ulong addr, int slot, int size, ElementKind kind)
    {
        if (addr == 0)
        {
            sb.Append("NULL");
            return;
        }
        if (nr == 0)
        {
            sb.Append("[]");
            return;
        }
        if (!c.Data.TryGet(slot, out ReadOnlySpan<byte> b, out CaptureStatus st) || st == CaptureStatus.Fault)
        {
            StraceText.Pointer(sb, addr);
            return;
        }
        Elements(ref c, sb, addr, b, st == CaptureStatus.Truncated, nr, size, kind);
    }

    /// <summary>An array's captured elements; the address alone when not even one was read.</summary>
    private static void Elements(ref DecodeContext c, StringBuilder sb, ulong addr, ReadOnlySpan<byte> b, bool truncated, uint nr, int size, ElementKind kind)
    {
        if (b.Length < size)
        {
            StraceText.Pointer(sb, addr);
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        int count = b.Length / size;
        sb.Append('[');
        for (int k = 0; k < count; k++)
        {
            if (k > 0) sb.Append(", ");
            ReadOnlySpan<byte> e = b.Slice(k * size, size);
            switch (kind)
            {
                case ElementKind.Fd or ElementKind.FdOrSkip:
                    int fd = BinaryPrimitives.ReadInt32LittleEndian(e);
                    if (fd == -2 && kind == ElementKind.FdOrSkip)
                    {
                        int mark = DecodeStyle.Begin(sb); // -X: -2 /* IORING_REGISTER_FILES_SKIP */
                        sb.Append("IORING_REGISTER_FILES_SKIP");
                        DecodeStyle.End(sb, mark, unchecked((ulong)-2L), DecodeStyle.Number.Decimal);
                    }
                    else if (k < CaptureSlot.ArrayFdLinks)
                        DecodeText.Fd(ref c, sb, fd, CaptureSlot.ArrayFdLink(k));
                    else
                        sb.Append(fd.ToString(inv));
                    break;
                case ElementKind.Restriction:
                    Restriction(sb, e);
                    break;
                case ElementKind.Iovec:
                    sb.Append("{iov_base=");
                    StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(e));
                    sb.Append(", iov_len=").Append(BinaryPrimitives.ReadUInt64LittleEndian(e[8..]).ToString(inv)).Append('}');
                    break;
                default:
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(e));
                    break;
            }
        }
        if (truncated)
            sb.Append(", ... /* 0x").Append((addr + (ulong)(count * size)).ToString("x", inv)).Append(" */");
        else if (count < nr)
            sb.Append(", ...");
        sb.Append(']');
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
