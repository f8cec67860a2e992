using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;
using static PSSyscall.Engine.Decoding.DecodeText;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>struct rlimit (getrlimit, setrlimit, prlimit64), read or written by direction.</summary>
internal sealed class RlimitCodec(Direction direction, bool is64 = true) : ArgCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(16) : CapturePlan.AtExit(16);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 16)
            return false;
        Rlimit(sb, b, is64);
        return true;
    }

    private static void Rlimit(StringBuilder sb, ReadOnlySpan<byte> b, bool is64)
    {
        sb.Append("{rlim_cur=");
        RlimValue(sb, BinaryPrimitives.ReadUInt64LittleEndian(b), is64);
        sb.Append(", rlim_max=");
        RlimValue(sb, BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), is64);
        sb.Append('}');
    }

    private static void RlimValue(StringBuilder sb, ulong v, bool is64)
    {
        int mark = DecodeStyle.Begin(sb);
        RlimNamed(sb, v, is64);
        DecodeStyle.End(sb, mark, v, DecodeStyle.Number.Unsigned);
    }

    private static void RlimNamed(StringBuilder sb, ulong v, bool is64)
    {
        if (v == ulong.MaxValue) sb.Append(is64 ? "RLIM64_INFINITY" : "RLIM_INFINITY"); // x86_64: one 64-bit struct for every rlimit call; i386's getrlimit is 32-bit
        else if (v > 0 && v % 1024 == 0) sb.Append((v / 1024).ToString(Inv)).Append("*1024");
        else sb.Append(v.ToString(Inv));
    }
}

/// <summary>struct utsname: sysname and nodename, then "...".</summary>
internal sealed class UtsnameCodec : FixedStructCodec
{
    public override CapturePlan Plan { get; } = CapturePlan.AtExit(390);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Utsname(sb, b);

    private static void Utsname(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{sysname=");
        CString(sb, b[..65]);
        sb.Append(", nodename=");
        CString(sb, b.Slice(65, 65));
        sb.Append(", ...}");
    }
}

/// <summary>struct sysinfo, every field.</summary>
internal sealed class SysinfoCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(112);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Sysinfo(sb, b);

    private static void Sysinfo(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        static string U(ReadOnlySpan<byte> x, int off) => BinaryPrimitives.ReadUInt64LittleEndian(x[off..]).ToString(Inv);
        sb.Append("{uptime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b).ToString(Inv))
          .Append(", loads=[").Append(U(b, 8)).Append(", ").Append(U(b, 16)).Append(", ").Append(U(b, 24))
          .Append("], totalram=").Append(U(b, 32)).Append(", freeram=").Append(U(b, 40))
          .Append(", sharedram=").Append(U(b, 48)).Append(", bufferram=").Append(U(b, 56))
          .Append(", totalswap=").Append(U(b, 64)).Append(", freeswap=").Append(U(b, 72))
          .Append(", procs=").Append(BinaryPrimitives.ReadUInt16LittleEndian(b[80..]).ToString(Inv))
          .Append(", totalhigh=").Append(U(b, 88)).Append(", freehigh=").Append(U(b, 96))
          .Append(", mem_unit=").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[104..]).ToString(Inv)).Append('}');
    }
}

/// <summary>struct rusage (getrusage, wait4, waitid): the two times, then "..." (ru_utime and
/// ru_stime are all that is captured).</summary>
internal sealed class RusageCodec(bool waited = false) : FixedStructCodec
{
    // The whole struct rusage (as strace reads it): -v shows every field.
    public override CapturePlan Plan { get; } = CapturePlan.AtExit(144);

    private static readonly string[] Counters =
    {
        "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap",
        "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
    };

    /// <summary><paramref name="waited"/> (wait4): a result of 0 (WNOHANG, nothing changed) wrote
    /// nothing, and strace shows the address.</summary>
    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if (waited && c.Return == 0 && !c.Unfinished && c.Args[i] != 0)
        {
            StraceText.Pointer(sb, c.Args[i]);
            return true;
        }
        return base.Print(ref c, i, sb);
    }

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Rusage(sb, b);

    /// <summary>struct rusage as strace abbreviates it: the two times, then "...".</summary>
    private static void Rusage(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{ru_utime=");
        Time(sb, b, true);
        sb.Append(", ru_stime=");
        Time(sb, b[16..], true);
        if (!DecodeStyle.Unabbreviated)
        {
            sb.Append(", ...}");
            return;
        }
        for (int k = 0; k < Counters.Length; k++)
            sb.Append(", ").Append(Counters[k]).Append('=').Append(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(b[(32 + 8 * k)..]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        sb.Append('}');
    }
}

/// <summary>struct tms (times).</summary>
internal sealed class TmsCodec : FixedStructCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public override CapturePlan Plan { get; } = CapturePlan.AtExit(32);

    protected override void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b) => Tms(sb, b);

    private static void Tms(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        sb.Append("{tms_utime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b).ToString(Inv))
          .Append(", tms_stime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[8..]).ToString(Inv))
          .Append(", tms_cutime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[16..]).ToString(Inv))
          .Append(", tms_cstime=").Append(BinaryPrimitives.ReadInt64LittleEndian(b[24..]).ToString(Inv)).Append('}');
    }
}
