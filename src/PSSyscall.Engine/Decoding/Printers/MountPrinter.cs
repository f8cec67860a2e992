using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>mount(source, target, type, flags, data) as strace 6.1: the old magic 0xC0ED in the
/// flags' high half shows as MS_MGC_VAL; MS_REMOUNT makes the type an address, MS_BIND, MS_MOVE
/// and the propagation flags (MS_SHARED...) make the type and the data addresses.</summary>
internal sealed class MountPrinter : SyscallPrinter
{
    public static readonly MountPrinter Instance = new();

    private const ulong MgcMask = 0xffff0000, MgcVal = 0xc0ed0000;
    private const ulong Remount = 32, Bind = 4096, Move = 8192, Unbindable = 1 << 17, Private = 1 << 18, Slave = 1 << 19, Shared = 1 << 20;

    public override void PrintArguments(ref DecodeContext c, StringBuilder sb)
    {
        ulong flags = c.Args[3];
        bool magic = (flags & MgcMask) == MgcVal;
        if (magic)
            flags &= ~MgcMask;
        bool ignoreType = false, ignoreData = false;
        if ((flags & Remount) != 0)
            ignoreType = true;
        else if ((flags & (Bind | Move | Shared | Private | Slave | Unbindable)) != 0)
            ignoreType = ignoreData = true;

        Str(ref c, sb, 0, false);
        sb.Append(", ");
        Str(ref c, sb, 1, false);
        sb.Append(", ");
        Str(ref c, sb, 2, ignoreType);
        sb.Append(", ");
        if (magic)
        {
            int mark = DecodeStyle.Begin(sb);
            sb.Append("MS_MGC_VAL");
            DecodeStyle.End(sb, mark, 0xc0ed0000);
            if (flags != 0) sb.Append('|');
        }
        if (flags != 0 || !magic)
            FlagTables.Flags(sb, flags, FlagTables.MountFlags, "MS_???");
        sb.Append(", ");
        Str(ref c, sb, 4, ignoreData);
    }

    private static void Str(ref DecodeContext c, StringBuilder sb, int i, bool addressOnly)
    {
        ulong v = c.Args[i];
        if (v == 0) { sb.Append("NULL"); return; }
        if (addressOnly || !c.Data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) || st == CaptureStatus.Fault)
        {
            StraceText.Pointer(sb, v);
            return;
        }
        StraceText.Quote(sb, b, st == CaptureStatus.Truncated);
    }
}
