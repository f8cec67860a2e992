using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The 'L' loop device ioctls (linux/loop.h): descriptors and numbers by value, struct
/// loop_info, loop_info64 and loop_config abbreviated as strace shows them (the encryption fields
/// only when an encryption type is set).</summary>
internal sealed class IoctlLoopPrinter : IoctlFamily
{
    private const ulong SetFd = 0x4c00, SetStatus = 0x4c02, GetStatus = 0x4c03, SetStatus64 = 0x4c04, GetStatus64 = 0x4c05;
    private const ulong ChangeFd = 0x4c06, SetCapacity = 0x4c07, SetDirectIo = 0x4c08, SetBlockSize = 0x4c09, Configure = 0x4c0a;
    private const ulong CtlAdd = 0x4c80, CtlRemove = 0x4c81, CtlGetFree = 0x4c82;
    private const int InfoSize = 168, Info64Size = 232, ConfigSize = 304;

    private static readonly Named[] CryptTypes =
    {
        new(0, "LO_CRYPT_NONE"), new(1, "LO_CRYPT_XOR"), new(2, "LO_CRYPT_DES"), new(3, "LO_CRYPT_FISH2"),
        new(4, "LO_CRYPT_BLOW"), new(5, "LO_CRYPT_CAST128"), new(6, "LO_CRYPT_IDEA"), new(9, "LO_CRYPT_DUMMY"),
        new(10, "LO_CRYPT_SKIPJACK"), new(18, "LO_CRYPT_CRYPTOAPI"),
    };

    private static readonly Named[] LoFlags =
    {
        new(1, "LO_FLAGS_READ_ONLY"), new(4, "LO_FLAGS_AUTOCLEAR"), new(8, "LO_FLAGS_PARTSCAN"), new(16, "LO_FLAGS_DIRECT_IO"),
    };

    public static readonly IoctlLoopPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { SetStatus }, 2, CapturePlan.AtEntry(InfoSize)),
        new(1, new[] { GetStatus }, 2, CapturePlan.AtExit(InfoSize)),
        new(1, new[] { SetStatus64 }, 2, CapturePlan.AtEntry(Info64Size)),
        new(1, new[] { GetStatus64 }, 2, CapturePlan.AtExit(Info64Size)),
        new(1, new[] { Configure }, 2, CapturePlan.AtEntry(ConfigSize)),
    };

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        bool exitValid = !c.Failed && !c.Unfinished;
        switch (request)
        {
            case SetCapacity or CtlGetFree:
                return true;
            case SetFd or ChangeFd or CtlAdd or CtlRemove:
                sb.Append(", ").Append(((int)v).ToString(CultureInfo.InvariantCulture));
                return true;
            case SetDirectIo or SetBlockSize:
                sb.Append(", ").Append(v.ToString(CultureInfo.InvariantCulture));
                return true;
            case SetStatus or GetStatus:
                sb.Append(", ");
                if ((request == SetStatus || exitValid) && c.Data.TryGetFull(request == SetStatus ? CaptureSlot.Entry(2) : CaptureSlot.Exit(2), InfoSize, out b))
                    Info(sb, b);
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetStatus64 or GetStatus64:
                sb.Append(", ");
                if ((request == SetStatus64 || exitValid) && c.Data.TryGetFull(request == SetStatus64 ? CaptureSlot.Entry(2) : CaptureSlot.Exit(2), Info64Size, out b))
                    Info64(sb, b);
                else
                    StraceText.Pointer(sb, v);
                return true;
            case Configure:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), ConfigSize, out b))
                    Config(sb, b);
                else
                    StraceText.Pointer(sb, v);
                return true;
            default:
                return false;
        }
    }

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    /// <summary>A char array as strace's quoted C string: up to its NUL, "..." when none comes
    /// before the array's last byte.</summary>
    private static void ArrayString(StringBuilder sb, ReadOnlySpan<byte> array)
    {
        int nul = array.IndexOf((byte)0);
        if (nul >= 0)
            StraceText.Quote(sb, array[..nul], false);
        else
            StraceText.Quote(sb, array[..^1], true);
    }

    private static void EncryptKey(StringBuilder sb, ReadOnlySpan<byte> key, uint size)
    {
        sb.Append(", lo_encrypt_key=");
        StraceText.Quote(sb, key[..(int)Math.Min(size, (uint)key.Length)], false);
    }

    /// <summary>struct loop_info (x86_64 layout).</summary>
    internal static void Info(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{lo_number=").Append(((int)U32(b, 0)).ToString(inv)).Append(", lo_offset=");
        StraceText.Hex(sb, U32(b, 32));
        uint type = U32(b, 36);
        if (type != 0)
        {
            sb.Append(", lo_encrypt_type=");
            FlagTables.Enum(sb, type, CryptTypes, "LO_CRYPT_???");
            sb.Append(", lo_encrypt_key_size=").Append(U32(b, 40).ToString(inv));
        }
        sb.Append(", lo_flags=");
        FlagTables.Flags(sb, U32(b, 44), LoFlags, "LO_FLAGS_???");
        sb.Append(", lo_name=");
        ArrayString(sb, b.Slice(48, 64));
        if (type != 0)
            EncryptKey(sb, b.Slice(112, 32), U32(b, 40));
        sb.Append(", ...}");
    }

    /// <summary>struct loop_info64.</summary>
    internal static void Info64(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{lo_offset=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[24..]));
        sb.Append(", lo_number=").Append(U32(b, 40).ToString(inv));
        uint type = U32(b, 44);
        if (type != 0)
        {
            sb.Append(", lo_encrypt_type=");
            FlagTables.Enum(sb, type, CryptTypes, "LO_CRYPT_???");
            sb.Append(", lo_encrypt_key_size=").Append(U32(b, 48).ToString(inv));
        }
        sb.Append(", lo_flags=");
        FlagTables.Flags(sb, U32(b, 52), LoFlags, "LO_FLAGS_???");
        sb.Append(", lo_file_name=");
        ArrayString(sb, b.Slice(56, 64));
        if (type != 0)
        {
            sb.Append(", lo_crypt_name=");
            ArrayString(sb, b.Slice(120, 64));
            EncryptKey(sb, b.Slice(184, 32), U32(b, 48));
        }
        sb.Append(", ...}");
    }

    /// <summary>struct loop_config: __reserved only when any of it is set.</summary>
    internal static void Config(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("{fd=").Append(((int)U32(b, 0)).ToString(inv)).Append(", block_size=").Append(U32(b, 4).ToString(inv)).Append(", info=");
        Info64(sb, b.Slice(8, Info64Size));
        ReadOnlySpan<byte> reserved = b.Slice(240, 64);
        if (reserved.IndexOfAnyExcept((byte)0) >= 0)
        {
            sb.Append(", __reserved=[");
            for (int i = 0; i < 8; i++)
            {
                if (i > 0) sb.Append(", ");
                StraceText.Hex(sb, BinaryPrimitives.ReadUInt64LittleEndian(reserved[(i * 8)..]));
            }
            sb.Append(']');
        }
        sb.Append('}');
    }
}
