using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The HDIO_* ioctls (linux/hdreg.h): setters by value, getters as [value] written back,
/// struct hd_geometry, HDIO_DRIVE_CMD's header, the three ints of DRIVE_RESET and SCAN_HWIF, the
/// identity as 32 bytes of memory, the nice flags and bus states by name.</summary>
internal sealed class IoctlHdioPrinter : IoctlFamily
{
    private const ulong GetGeo = 0x0301, ObsoleteIdentity = 0x0307, GetNice = 0x030c, GetIdentity = 0x030d;
    private const ulong GetBusstate = 0x031a, DriveReset = 0x031c, DriveCmd = 0x031f, ScanHwif = 0x0328;
    private const ulong SetNice = 0x0329, SetBusstate = 0x032d;

    private static readonly ulong[] Getters = { 0x0302, 0x0304, 0x0308, 0x0309, 0x030a, 0x030b, 0x030e, 0x030f, 0x0310 };
    private static readonly ulong[] Setters = { 0x0321, 0x0322, 0x0323, 0x0324, 0x0325, 0x0326, 0x0327, 0x032a, 0x032b, 0x032c, 0x032f };

    private static readonly Named[] NiceFlags =
    {
        new(1 << 0, "1 << IDE_NICE_DSC_OVERLAP"), new(1 << 1, "1 << IDE_NICE_ATAPI_OVERLAP"),
        new(1 << 3, "1 << IDE_NICE_1"), new(1 << 2, "1 << IDE_NICE_0"), new(1 << 4, "1 << IDE_NICE_2"),
    };

    private static readonly Named[] Busstates = { new(0, "BUSSTATE_OFF"), new(1, "BUSSTATE_ON"), new(2, "BUSSTATE_TRISTATE") };

    /// <summary>ATA commands (the kernel's ATA_CMD_*), the common ones.</summary>
    private static readonly Named[] AtaCommands =
    {
        new(0x00, "ATA_CMD_NOP"), new(0x06, "ATA_CMD_DSM"), new(0x08, "ATA_CMD_DEV_RESET"), new(0x20, "ATA_CMD_PIO_READ"),
        new(0x24, "ATA_CMD_PIO_READ_EXT"), new(0x25, "ATA_CMD_READ_EXT"), new(0x30, "ATA_CMD_PIO_WRITE"),
        new(0x34, "ATA_CMD_PIO_WRITE_EXT"), new(0x35, "ATA_CMD_WRITE_EXT"), new(0x40, "ATA_CMD_VERIFY"),
        new(0x42, "ATA_CMD_VERIFY_EXT"), new(0x60, "ATA_CMD_FPDMA_READ"), new(0x61, "ATA_CMD_FPDMA_WRITE"),
        new(0xa0, "ATA_CMD_PACKET"), new(0xa1, "ATA_CMD_ID_ATAPI"), new(0xb0, "ATA_CMD_SMART"),
        new(0xc4, "ATA_CMD_READ_MULTI"), new(0xc5, "ATA_CMD_WRITE_MULTI"), new(0xc6, "ATA_CMD_SET_MULTI"),
        new(0xc8, "ATA_CMD_READ"), new(0xca, "ATA_CMD_WRITE"), new(0xe0, "ATA_CMD_STANDBYNOW1"),
        new(0xe1, "ATA_CMD_IDLEIMMEDIATE"), new(0xe2, "ATA_CMD_STANDBY"), new(0xe3, "ATA_CMD_IDLE"),
        new(0xe5, "ATA_CMD_CHK_POWER"), new(0xe6, "ATA_CMD_SLEEP"), new(0xe7, "ATA_CMD_FLUSH"),
        new(0xea, "ATA_CMD_FLUSH_EXT"), new(0xec, "ATA_CMD_ID_ATA"), new(0xef, "ATA_CMD_SET_FEATURES"),
    };

    public static readonly IoctlHdioPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { GetGeo }, 2, CapturePlan.AtExit(16)),
        new(1, new[] { DriveCmd }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { DriveReset, ScanHwif }, 2, CapturePlan.AtEntry(12)),
        new(1, new[] { ObsoleteIdentity, GetIdentity }, 2, CapturePlan.AtExit(32)),
        new(1, Getters.Concat(new[] { GetNice, GetBusstate }).ToArray(), 2, CapturePlan.AtExit(8)),
    };

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        var inv = CultureInfo.InvariantCulture;
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        bool exitValid = !c.Failed && !c.Unfinished;
        if (Array.IndexOf(Setters, request) >= 0)
        {
            sb.Append(", ").Append(v.ToString(inv));
            return true;
        }
        bool getter = Array.IndexOf(Getters, request) >= 0;
        if (!getter && request is not (GetGeo or ObsoleteIdentity or GetNice or GetIdentity or GetBusstate or DriveReset or DriveCmd or ScanHwif or SetNice or SetBusstate))
            return false;
        sb.Append(", ");
        switch (request)
        {
            case SetNice:
                FlagTables.Flags(sb, v, NiceFlags, "IDE_NICE_???");
                return true;
            case SetBusstate:
                FlagTables.Enum(sb, v, Busstates, "BUSSTATE_???");
                return true;
            case DriveCmd:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                {
                    sb.Append("{command=");
                    FlagTables.Enum(sb, b[0], AtaCommands, "ATA_CMD_???");
                    sb.Append(", sector_number=").Append(b[1].ToString(inv)).Append(", feature=").Append(b[2].ToString(inv))
                      .Append(", sector_count=").Append(b[3].ToString(inv)).Append('}');
                    return true;
                }
                break;
            case DriveReset or ScanHwif:
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 12, out b))
                {
                    sb.Append('[');
                    for (int i = 0; i < 3; i++)
                    {
                        if (i > 0) sb.Append(", ");
                        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]));
                    }
                    sb.Append(']');
                    return true;
                }
                break;
            case GetGeo:
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(2), 16, out b))
                {
                    sb.Append("{heads=").Append(b[0].ToString(inv)).Append(", sectors=").Append(b[1].ToString(inv))
                      .Append(", cylinders=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[2..]).ToString(inv))
                      .Append(", start=").Append(BinaryPrimitives.ReadUInt64LittleEndian(b[8..]).ToString(inv)).Append('}');
                    return true;
                }
                break;
            case ObsoleteIdentity or GetIdentity:
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(2), 32, out b))
                {
                    StraceText.Quote(sb, b[..32], true);
                    return true;
                }
                break;
            default: // getters: the unsigned long written back
                if (exitValid && c.Data.TryGetFull(CaptureSlot.Exit(2), 8, out b))
                {
                    ulong w = BinaryPrimitives.ReadUInt64LittleEndian(b);
                    sb.Append('[');
                    if (request == GetNice)
                        FlagTables.Flags(sb, w, NiceFlags, "IDE_NICE_???");
                    else if (request == GetBusstate)
                        FlagTables.Enum(sb, w, Busstates, "BUSSTATE_???");
                    else
                        sb.Append(w.ToString(inv));
                    sb.Append(']');
                    return true;
                }
                break;
        }
        StraceText.Pointer(sb, v);
        return true;
    }
}
