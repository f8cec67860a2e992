using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>The 'E' input event ioctls (linux/input.h): the sized requests by name with their
/// parameter (EVIOCGNAME(len), EVIOCGBIT(ev, len), EVIOCGABS(abs)), numbers by value, and the
/// argument structures strace shows abbreviated.</summary>
internal sealed class IoctlEvdevPrinter : IoctlFamily
{
    private const ulong SetRep = 0x40084503, SetKeycode = 0x40084504, SetKeycodeV2 = 0x40284504, SetFf = 0x40304580;
    private const ulong RmFf = 0x40044581, Grab = 0x40044590, Revoke = 0x40044591, SetClockId = 0x400445a0;

    private static readonly Named[] EvTypes =
    {
        new(0x00, "EV_SYN"), new(0x01, "EV_KEY"), new(0x02, "EV_REL"), new(0x03, "EV_ABS"), new(0x04, "EV_MSC"),
        new(0x05, "EV_SW"), new(0x11, "EV_LED"), new(0x12, "EV_SND"), new(0x14, "EV_REP"), new(0x15, "EV_FF"),
        new(0x16, "EV_PWR"), new(0x17, "EV_FF_STATUS"),
    };

    private static readonly Named[] AbsCodes =
    {
        new(0x00, "ABS_X"), new(0x01, "ABS_Y"), new(0x02, "ABS_Z"), new(0x03, "ABS_RX"), new(0x04, "ABS_RY"),
        new(0x05, "ABS_RZ"), new(0x06, "ABS_THROTTLE"), new(0x07, "ABS_RUDDER"), new(0x08, "ABS_WHEEL"),
        new(0x09, "ABS_GAS"), new(0x0a, "ABS_BRAKE"), new(0x10, "ABS_HAT0X"), new(0x11, "ABS_HAT0Y"),
        new(0x12, "ABS_HAT1X"), new(0x13, "ABS_HAT1Y"), new(0x14, "ABS_HAT2X"), new(0x15, "ABS_HAT2Y"),
        new(0x16, "ABS_HAT3X"), new(0x17, "ABS_HAT3Y"), new(0x18, "ABS_PRESSURE"), new(0x19, "ABS_DISTANCE"),
        new(0x1a, "ABS_TILT_X"), new(0x1b, "ABS_TILT_Y"), new(0x1c, "ABS_TOOL_WIDTH"), new(0x20, "ABS_VOLUME"),
        new(0x21, "ABS_PROFILE"), new(0x28, "ABS_MISC"), new(0x2e, "ABS_RESERVED"), new(0x2f, "ABS_MT_SLOT"),
        new(0x30, "ABS_MT_TOUCH_MAJOR"), new(0x31, "ABS_MT_TOUCH_MINOR"), new(0x32, "ABS_MT_WIDTH_MAJOR"),
        new(0x33, "ABS_MT_WIDTH_MINOR"), new(0x34, "ABS_MT_ORIENTATION"), new(0x35, "ABS_MT_POSITION_X"),
        new(0x36, "ABS_MT_POSITION_Y"), new(0x37, "ABS_MT_TOOL_TYPE"), new(0x38, "ABS_MT_BLOB_ID"),
        new(0x39, "ABS_MT_TRACKING_ID"), new(0x3a, "ABS_MT_PRESSURE"), new(0x3b, "ABS_MT_DISTANCE"),
        new(0x3c, "ABS_MT_TOOL_X"), new(0x3d, "ABS_MT_TOOL_Y"),
    };

    private static readonly Named[] FfTypes =
    {
        new(0x50, "FF_RUMBLE"), new(0x51, "FF_PERIODIC"), new(0x52, "FF_CONSTANT"), new(0x53, "FF_SPRING"),
        new(0x54, "FF_FRICTION"), new(0x55, "FF_DAMPER"), new(0x56, "FF_INERTIA"), new(0x57, "FF_RAMP"),
    };

    /// <summary>The 'E' read requests named with their length: nr to name.</summary>
    private static readonly (uint Nr, string Name)[] Sized =
    {
        (0x06, "EVIOCGNAME"), (0x07, "EVIOCGPHYS"), (0x08, "EVIOCGUNIQ"), (0x09, "EVIOCGPROP"), (0x0a, "EVIOCGMTSLOTS"),
        (0x18, "EVIOCGKEY"), (0x19, "EVIOCGLED"), (0x1a, "EVIOCGSND"), (0x1b, "EVIOCGSW"),
    };

    public static readonly IoctlEvdevPrinter Instance = new();

    public override ConditionalPlan[] Captures { get; } =
    {
        new(1, new[] { SetClockId }, 2, CapturePlan.AtEntry(4)),
        new(1, new[] { SetRep, SetKeycode }, 2, CapturePlan.AtEntry(8)),
        new(1, new[] { SetKeycodeV2 }, 2, CapturePlan.AtEntry(2)),
        new(1, new[] { SetFf }, 2, CapturePlan.AtEntry(6)),
    };

    private static bool IsEvdev(ulong request) => ((request >> 8) & 0xff) == 'E' && request >> 32 == 0;

    public override bool TryAppendName(StringBuilder sb, ulong request)
    {
        if (!IsEvdev(request))
            return false;
        uint dir = (uint)(request >> 30), nr = (uint)request & 0xff, size = (uint)(request >> 16) & 0x3fff;
        var inv = CultureInfo.InvariantCulture;
        if (dir == 2)
        {
            foreach (var (n, name) in Sized)
            {
                if (n == nr)
                {
                    sb.Append(name).Append('(').Append(size.ToString(inv)).Append(')');
                    return true;
                }
            }
            if (nr >= 0x20 && nr < 0x40)
            {
                sb.Append("EVIOCGBIT(");
                if (nr == 0x20)
                    sb.Append('0');
                else
                    FlagTables.Enum(sb, nr - 0x20, EvTypes, "EV_???");
                sb.Append(", ").Append(size.ToString(inv)).Append(')');
                return true;
            }
        }
        if (size == 24 && ((dir == 2 && nr >= 0x40 && nr < 0x80) || (dir == 1 && nr >= 0xc0)))
        {
            sb.Append(dir == 2 ? "EVIOCGABS(" : "EVIOCSABS(");
            FlagTables.Enum(sb, nr & 0x3f, AbsCodes, "ABS_???");
            sb.Append(')');
            return true;
        }
        return false;
    }

    public override bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request)
    {
        if (!IsEvdev(request))
            return false;
        var inv = CultureInfo.InvariantCulture;
        ulong v = c.Args[2];
        ReadOnlySpan<byte> b;
        switch (request)
        {
            case RmFf:
                sb.Append(", ").Append(((int)v).ToString(inv));
                return true;
            case Grab or Revoke:
                sb.Append(", ").Append(v.ToString(inv));
                return true;
            case SetClockId:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 4, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(inv)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetRep:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(inv)).Append(", ")
                      .Append(BinaryPrimitives.ReadUInt32LittleEndian(b[4..]).ToString(inv)).Append(']');
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetKeycode:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 8, out b))
                {
                    uint key = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
                    sb.Append('[').Append(BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(inv)).Append(", ");
                    FlagTables.Enum(sb, key, EvdevKeyCodes.Table, "KEY_???");
                    sb.Append(']');
                }
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetKeycodeV2:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 2, out b))
                    sb.Append("{flags=").Append(b[0].ToString(inv)).Append(", len=").Append(b[1].ToString(inv)).Append(", ...}");
                else
                    StraceText.Pointer(sb, v);
                return true;
            case SetFf:
                sb.Append(", ");
                if (c.Data.TryGetFull(CaptureSlot.Entry(2), 6, out b))
                {
                    sb.Append("{type=");
                    FlagTables.Enum(sb, BinaryPrimitives.ReadUInt16LittleEndian(b), FfTypes, "FF_???");
                    sb.Append(", id=").Append(BinaryPrimitives.ReadInt16LittleEndian(b[2..]).ToString(inv))
                      .Append(", direction=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[4..]).ToString(inv)).Append(", ...}");
                }
                else
                    StraceText.Pointer(sb, v);
                return true;
        }
        // The other requests with an argument structure the decoder does not show: NULL or its address.
        if ((request >> 30) != 0)
        {
            sb.Append(", ");
            StraceText.Pointer(sb, v);
            return true;
        }
        return false;
    }
}
