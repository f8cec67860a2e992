using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The '!' seccomp user notification ioctls (linux/seccomp.h): the id as [u64] (also
/// through the old wrong-direction request), struct seccomp_notif_resp; the others as NULL or
/// their address (struct seccomp_notif and seccomp_notif_addfd are not decoded yet).</summary>
internal sealed class IoctlSeccompPrinter : IoctlFamily
{
    private const ulong Recv = 0xc0502100, Send = 0xc0182101, IdValid = 0x40082102, IdValidWrongDir = 0x80082102;
    private const ulong AddFd = 0x40182103, SetFlags = 0x40082104;

    private static readonly Named[] AddFdFlags = { new(1, "SECCOMP_ADDFD_FLAG_SETFD"), new(2, "SECCOMP_ADDFD_FLAG_SEND") };

    private static readonly Named[] RespFlags = { new(1, "SECCOMP_USER_NOTIF_FLAG_CONTINUE") };

    public static readonly IoctlSeccompPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { IdValid, IdValidWrongDir }, 2, CapturePlan.AtEntry(8)),
        new(1, new[] { Send }, 2, CapturePlan.AtEntry(24)),
        new(1, new[] { Recv }, 2, CapturePlan.AtEntry(80)),
        new(1, new[] { Recv }, 2, CapturePlan.AtExit(80)),
        new(1, new[] { AddFd }, 2, CapturePlan.AtEntry(24), FdOffsets: new[] { 12 }),
    };

    /// <summary>struct seccomp_notif: the call's number by name for the x86_64 and i386 ABIs.</summary>
    private static void Notif(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{id=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
        sb.Append(", pid=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[8..]).ToString(inv)).Append(", flags=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[12..]));
        int nr = BinaryPrimitives.ReadInt32LittleEndian(b[16..]);
        uint arch = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]);
        Syscalls.SyscallTable? table = arch switch { 0xc000003e => Syscalls.SyscallTable.X86_64, 0x40000003 => Syscalls.SyscallTable.I386, _ => null };
        string? name = table?.GetName(nr);
        sb.Append(", data={nr=");
        if (name is not null) sb.Append("__NR_").Append(name); else sb.Append(((uint)nr).ToString(inv));
        sb.Append(", arch=");
        if (arch == 0xc000003e) sb.Append("AUDIT_ARCH_X86_64");
        else if (arch == 0x40000003) sb.Append("AUDIT_ARCH_I386");
        else { StraceText.Hex(sb, arch); sb.Append(" /* AUDIT_ARCH_??? */"); }
        sb.Append(", instruction_pointer=");
        StraceText.Pointer(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
        sb.Append(", args=[");
        for (int i = 0; i < 6; i++)
        {
            if (i > 0) sb.Append(", ");
            StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[(32 + i * 8)..]));
        }
        sb.Append("]}}");
    }

    public override bool TryAppendName(StringBuilder sb, ulong request)
    {
        if (request != IdValidWrongDir)
            return false;
        sb.Append("SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR");
        return true;
    }

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        if (request is not (Recv or Send or IdValid or IdValidWrongDir or AddFd or SetFlags))
            return false;
        var inv = CultureInfo.InvariantCulture;
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        sb.Append(", ");
        switch (request)
        {
            case IdValid or IdValidWrongDir:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                {
                    sb.Append('[');
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(']');
                    return true;
                }
                break;
            case Send:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 24, out b))
                {
                    sb.Append("{id=");
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(", val=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[8..]).ToString(inv)).Append(", error=");
                    int error = BinaryPrimitives.ReadInt32LittleEndian(b[16..]);
                    string? name = error < 0 && error != int.MinValue ? ErrnoNames.GetName(-error) : null;
                    if (name is not null) sb.Append('-').Append(name); else sb.Append(error.ToString(inv));
                    sb.Append(", flags=");
                    FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[20..]), RespFlags, "SECCOMP_USER_NOTIF_FLAG_???");
                    sb.Append('}');
                    return true;
                }
                break;
            case Recv:
                // The kernel wants a zeroed structure: strace shows the given one only when it is not.
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 80, out b))
                {
                    if (b[..80].IndexOfAnyExcept((byte)0) >= 0)
                    {
                        Notif(sb, b);
                        sb.Append(" => ");
                    }
                    if (!c.Failed && !c.Unfinished && c.Data.TryGetFull(CaptureSlot.Exit(2), 80, out b))
                        Notif(sb, b);
                    else
                        StraceText.Pointer(sb, v);
                    return true;
                }
                break;
            case AddFd:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 24, out b))
                {
                    sb.Append("{id=");
                    StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b));
                    sb.Append(", flags=");
                    FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), AddFdFlags, "SECCOMP_ADDFD_FLAG_???");
                    sb.Append(", srcfd=");
                    DecodeText.Fd(ref c, sb, BinaryPrimitives.ReadInt32LittleEndian(b[12..]), CaptureSlot.ArrayFdLink(0));
                    sb.Append(", newfd=").Append(BinaryPrimitives.ReadInt32LittleEndian(b[16..]).ToString(inv)).Append(", newfd_flags=");
                    FlagTables.Flags(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[20..]), FlagTables.OpenFlags, "O_???");
                    sb.Append('}');
                    return true;
                }
                break;
        }
        StraceText.Pointer(sb, v);
        return true;
    }
}
