using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// The i386 ABI (a 32-bit tracee, or int 0x80): which codecs read the same bytes on both ABIs,
/// which read a structure whose 32-bit layout the capture widens (<see cref="CompatLayout"/>), and
/// the few argument kinds only i386 has (64-bit values split over two registers, mmap2's page
/// offset, 16-bit ids). Codecs are not copied: the i386 signature table (SyscallSignatures.I386.cs)
/// makes the same codecs and adapts them here.
/// </summary>
internal static class I386Codecs
{
    // Codecs with memory whose bytes are the same on i386 and x86_64 (strings, byte buffers, ints,
    // structures of fixed-width fields), or whose walked shape takes the word size from the plan.
    private static readonly FrozenSet<string> SameBytes = new[]
    {
        "fd", "dfd", "fandfd", "pipefd", "path", "str", "stype", "proto", "sol", "sopt", "ssopt", "soval", "gsoval",
        "pollfd", "pollres", "selectres", "xattrv", "xattrl", "mfdname", "bi", "bip", "bo", "bh", "slen", "sai4", "sao4", "epev",
        "epevs", "int<", "int>", "uint>", "uid>", "gids<", "gids>", "cpuset<", "cpuset>", "sigset<", "sigset>", "pendset>",
        "ep2sigset", "sembuf<", "path>", "tz<", "tz>", "wstatus>", "statx>", "utsname>", "schedattr<", "schedattr>",
        "caphdr<", "capdata<", "capdata>", "nodemask<", "nodemask>", "mpol>", "mvnodes", "mvstatus", "mincorevec>", "loff<",
        "openhow<", "fsconfigvalue", "mountattr<", "llrulesetattr<", "llruleattr<", "hostname<", "filehandle", "mmsgleft",
        "perfattr", "syslogbuf>", "keyctlarg", "dents", "dents64",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Structures with longs or pointers: their i386 layout, widened at capture.
    private static readonly FrozenDictionary<string, CompatLayout> Layouts = new Dictionary<string, CompatLayout>
    {
        ["ts<"] = CompatLayout.Of("long long"),
        ["ts>"] = CompatLayout.Of("long long"),
        ["tv<"] = CompatLayout.Of("long long"),
        ["tv>"] = CompatLayout.Of("long long"),
        ["tsrem>"] = CompatLayout.Of("long long"),
        ["tsupdated"] = CompatLayout.Of("long long"),
        ["tvl"] = CompatLayout.Of("long long"),
        ["tsl"] = CompatLayout.Of("long long"),
        ["ep2ts"] = CompatLayout.Of("long long"),
        ["timet>"] = CompatLayout.Of("long"),
        ["long>"] = CompatLayout.Of("long"),
        ["ptr>"] = CompatLayout.Of("ptr"),
        ["aioctx>"] = CompatLayout.Of("ulong"),
        ["itimerspec<"] = CompatLayout.Of("long[4]"),
        ["itimerspec>"] = CompatLayout.Of("long[4]"),
        ["itimerval<"] = CompatLayout.Of("long[4]"),
        ["itimerval>"] = CompatLayout.Of("long[4]"),
        ["timevals<"] = CompatLayout.Of("long[4]"),
        ["timespecs<"] = CompatLayout.Of("long[4]"),
        ["utimbuf<"] = CompatLayout.Of("long long"),
        // RLIM_INFINITY is ~0 in 32 bits: sign extension keeps it ~0.
        ["rlim<"] = CompatLayout.Of("long long"),
        ["rlim>"] = CompatLayout.Of("long long"),
        ["sigaction<"] = CompatLayout.Of("ptr ulong ptr u64"),
        ["sigaction>"] = CompatLayout.Of("ptr ulong ptr u64"),
        ["stack<"] = CompatLayout.Of("ptr int ulong"),
        ["stack>"] = CompatLayout.Of("ptr int ulong"),
        ["mqattr<"] = CompatLayout.Of("long[4] long[4]"),
        ["mqattr>"] = CompatLayout.Of("long[4] long[4]"),
        ["rusage>"] = CompatLayout.Of("long[18]"),
        ["wrusage>"] = CompatLayout.Of("long[18]"),
        ["tms>"] = CompatLayout.Of("long[4]"),
        ["sfoff"] = CompatLayout.Of("long"),
        ["siginfo<"] = CompatLayout.Siginfo,
        ["siginfo>"] = CompatLayout.Siginfo,
        ["ptracearg"] = CompatLayout.Of("long"), // the word PTRACE_PEEK* writes
        ["mvpages"] = CompatLayout.Of("ptr"), // move_pages' array of page addresses
        ["sysinfo>"] = CompatLayout.Of("long ulong[3] ulong[6] ushort ushort ulong ulong uint"),
        ["argv"] = CompatLayout.Ilp32,
        ["envp"] = CompatLayout.Ilp32,
        ["iovi"] = CompatLayout.Ilp32,
        ["iovo"] = CompatLayout.Ilp32,
        ["msgi"] = CompatLayout.Ilp32,
        ["msgo"] = CompatLayout.Ilp32,
        ["mmsgi"] = CompatLayout.Ilp32,
        ["mmsgo"] = CompatLayout.Ilp32,
        ["fdset"] = CompatLayout.Ilp32,
        ["psmask"] = CompatLayout.Ilp32,
        ["sigret"] = CompatLayout.Ilp32,
        ["clone3"] = CompatLayout.Ilp32, // struct clone_args is the same; its tls is a struct user_desc
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>struct stat64 of i386 against x86_64's struct stat, which <see cref="StatCodec"/> prints.</summary>
    internal static readonly CompatLayout Stat64 = CompatLayout.Map(
        "dev:u64 _:b4 _:uint mode:uint nlink:uint uid:uint gid:uint rdev:u64 _:b4 size:i64 blksize:ulong blocks:u64 "
        + "atime:ulong atime_ns:ulong mtime:ulong mtime_ns:ulong ctime:ulong ctime_ns:ulong ino:u64",
        "dev:u64 ino:u64 nlink:ulong mode:uint uid:uint gid:uint _:b4 rdev:u64 size:i64 blksize:long blocks:long "
        + "atime:long atime_ns:ulong mtime:long mtime_ns:ulong ctime:long ctime_ns:ulong _:b24");

    /// <summary>struct statfs64 of i386 (statfs64, fstatfs64) against x86_64's struct statfs.</summary>
    internal static readonly CompatLayout Statfs64 = CompatLayout.Map(
        "type:uint bsize:uint blocks:u64 bfree:u64 bavail:u64 files:u64 ffree:u64 fsid:b8 namelen:uint frsize:uint flags:uint _:b16",
        "type:long bsize:long blocks:u64 bfree:u64 bavail:u64 files:u64 ffree:u64 fsid:b8 namelen:long frsize:long flags:long _:b32");

    /// <summary>i386's struct stat (stat, lstat, fstat: 16-bit mode and ids) against x86_64's.</summary>
    internal static readonly CompatLayout OldStat = CompatLayout.Map(
        "dev:ulong ino:ulong mode:ushort nlink:ushort uid:ushort gid:ushort rdev:ulong size:ulong blksize:ulong blocks:ulong "
        + "atime:ulong atime_ns:ulong mtime:ulong mtime_ns:ulong ctime:ulong ctime_ns:ulong _:ulong _:ulong",
        "dev:u64 ino:u64 nlink:ulong mode:uint uid:uint gid:uint _:b4 rdev:u64 size:i64 blksize:long blocks:long "
        + "atime:long atime_ns:ulong mtime:long mtime_ns:ulong ctime:long ctime_ns:ulong _:b24");

    /// <summary>i386's struct statfs (statfs, fstatfs: every field 32 bits) against x86_64's.</summary>
    internal static readonly CompatLayout OldStatfs = CompatLayout.Map(
        "type:long bsize:long blocks:ulong bfree:ulong bavail:ulong files:ulong ffree:ulong fsid:b8 namelen:long frsize:long flags:long _:b16",
        "type:long bsize:long blocks:u64 bfree:u64 bavail:u64 files:u64 ffree:u64 fsid:b8 namelen:long frsize:long flags:long _:b32");

    /// <summary>struct old_sigaction (sigaction: the mask one word, before the flags) against the
    /// kernel's struct sigaction that <see cref="SigactionCodec"/> prints.</summary>
    internal static readonly CompatLayout OldSigaction = CompatLayout.Map(
        "handler:ptr mask:ulong flags:ulong restorer:ptr", "handler:ptr flags:ulong restorer:ptr mask:u64");

    /// <summary>socketcall's call numbers (linux/net.h).</summary>
    private static readonly Named[] SocketCalls =
    {
        new(1, "SYS_SOCKET"), new(2, "SYS_BIND"), new(3, "SYS_CONNECT"), new(4, "SYS_LISTEN"), new(5, "SYS_ACCEPT"),
        new(6, "SYS_GETSOCKNAME"), new(7, "SYS_GETPEERNAME"), new(8, "SYS_SOCKETPAIR"), new(9, "SYS_SEND"), new(10, "SYS_RECV"),
        new(11, "SYS_SENDTO"), new(12, "SYS_RECVFROM"), new(13, "SYS_SHUTDOWN"), new(14, "SYS_SETSOCKOPT"), new(15, "SYS_GETSOCKOPT"),
        new(16, "SYS_SENDMSG"), new(17, "SYS_RECVMSG"), new(18, "SYS_ACCEPT4"), new(19, "SYS_RECVMMSG"), new(20, "SYS_SENDMMSG"),
    };

    /// <summary>The i386-only argument kinds, by token; null for the shared ones.</summary>
    public static ArgCodec? Create(string token, CodecSite site) => token switch
    {
        "ll" => new SplitLongCodec(highFirst: false),
        "llhi" => new SplitLongCodec(highFirst: true),
        "pgoff" => new PageOffsetCodec(),
        "loff>" => new PointedLongCodec(Direction.Out, hex: false),
        "uid16" => new Uid16Codec(),
        "stat64>" => new CompatCodec(new StatCodec(), Stat64),
        "statfs64>" => new CompatCodec(new StatfsCodec(), Statfs64),
        "rlim<" => new CompatCodec(new RlimitCodec(Direction.In, is64: false), Layouts["rlim<"]),
        "rlim>" => new CompatCodec(new RlimitCodec(Direction.Out, is64: false), Layouts["rlim>"]),
        "shmcmd" or "msgcmd" or "semcmd" => new Ipc64Codec(CodecRegistry.Create(token, site.Position, site.Tokens)!),
        "userdesc" => new UserDescCodec(),
        "stat>" => new CompatCodec(new StatCodec(), OldStat),
        "statfs>" => new CompatCodec(new StatfsCodec(), OldStatfs),
        "oldsa<" => new CompatCodec(new SigactionCodec(Direction.In), OldSigaction),
        "oldsa>" => new CompatCodec(new SigactionCodec(Direction.Out), OldSigaction),
        "sighandler" => new SignalHandlerCodec(),
        "fanevents64" => new SplitValueCodec(CodecRegistry.Create("fanevents", site.Position, site.Tokens)!),
        "ipccall" => new IpcCallCodec(),
        "nodemask<" => new NodeMaskCodec(Direction.In, site.Position + 1, word: 4),
        "nodemask>" => new NodeMaskCodec(Direction.Out, site.Position + 1, word: 4),
        "socketcallno" => new SocketCallCodec(SocketCalls),
        "ptracedata" => new PtraceDataCodec(new CompatCodec(CodecRegistry.Create(token, site.Position, site.Tokens)!, CompatLayout.Of("long"))),
        "maskvalue" => new SignalMaskValueCodec(null),
        "oldmaskres" => new SignalMaskValueCodec("old mask "),
        "maskres" => new SignalMaskValueCodec("mask "),
        "oldset<" => new OldSigsetCodec(Direction.In),
        "oldset>" => new OldSigsetCodec(Direction.Out),
        "sigevent<" => new CompatCodec(new SigeventCodec(), CompatLayout.Of("ptr int int ptr ptr")),
        "oldsigret" => new OldSigreturnMaskCodec(),
        "userdescres" => new UserDescCodec(),
        _ => null,
    };

    /// <summary>The codec an i386 signature uses for a shared token: the codec itself when its
    /// bytes are the same, widened when its layout is known, else its address alone (never a
    /// structure read with the wrong layout).</summary>
    public static ArgCodec Adapt(string token, ArgCodec codec, string syscall)
    {
        if (codec.EntryPlan.When == CaptureWhen.Never && codec.ExitPlan.When == CaptureWhen.Never)
            return codec; // a value in its register
        if (token == "dents" && syscall == "getdents")
            return new CompatCodec(codec, CompatLayout.Ilp32); // struct linux_dirent: longs
        if (SameBytes.Contains(token))
            return codec;
        if (Layouts.TryGetValue(token, out CompatLayout? layout))
            return new CompatCodec(codec, layout);
        return new AddressCodec(codec.Role);
    }
}

/// <summary>A shared codec on i386: the same printer, with plans that read the 32-bit layout.</summary>
internal sealed class CompatCodec : ArgCodec
{
    private readonly ArgCodec _inner;

    public CompatCodec(ArgCodec inner, CompatLayout layout)
    {
        _inner = inner;
        Plan = Widened(inner.Plan, layout);
        EntryPlan = Widened(inner.EntryPlan, layout);
        ExitPlan = Widened(inner.ExitPlan, layout);
    }

    private static CapturePlan Widened(CapturePlan plan, CompatLayout layout) => plan.When == CaptureWhen.Never ? plan : plan with { Compat = layout };

    public override CapturePlan Plan { get; }

    public override CapturePlan EntryPlan { get; }

    public override CapturePlan ExitPlan { get; }

    public override ArgKind Role => _inner.Role;

    public override CType DefaultType => _inner.DefaultType;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb) => _inner.Print(ref c, i, sb);

    public override void PrintResult(ref DecodeContext c, long ret, StringBuilder sb) => _inner.PrintResult(ref c, ret, sb);

    public override bool ResultIsNotDescriptor(ulong value) => _inner.ResultIsNotDescriptor(value);

    public override bool Shown(ref DecodeContext c, int i) => _inner.Shown(ref c, i);
}

/// <summary>A pointer whose i386 layout is not modelled yet: its address, as strace shows memory
/// it does not decode.</summary>
internal sealed class AddressCodec(ArgKind role) : ArgCodec
{
    public override ArgKind Role => role == ArgKind.Path ? ArgKind.Codec : role;

    public override CType DefaultType => CType.Pointer;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Pointer(sb, v);
        return true;
    }
}

/// <summary>A 64-bit value passed in two 32-bit registers (pread64's offset, truncate64's length):
/// this argument and the next one, low word first (or high first: _llseek). The next argument's
/// token is "-" (not shown).</summary>
internal sealed class SplitLongCodec(bool highFirst) : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong a = (uint)c.Args[i], b = i + 1 < c.Args.Length ? (uint)c.Args[i + 1] : 0;
        long v = (long)(highFirst ? a << 32 | b : b << 32 | a);
        sb.Append(v.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>mmap2's offset, in 4096-byte pages: strace shows it in bytes, in hex.</summary>
internal sealed class PageOffsetCodec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Hex(sb, (uint)v * 4096UL);
        return true;
    }
}

/// <summary>A 16-bit uid or gid (the i386 calls without the 32 suffix): (uid16_t)-1 is -1.</summary>
internal sealed class Uid16Codec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        ushort id = (ushort)v;
        sb.Append(id == 0xffff ? "-1" : id.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>The SysV IPC ctl calls' command on i386, where the C library adds IPC_64 (0x100, the
/// 64-bit structure's flag): "IPC_64|IPC_RMID".</summary>
internal sealed class Ipc64Codec(ArgCodec command) : ArgCodec
{
    private const ulong Ipc64 = 0x100;

    public override CType DefaultType => command.DefaultType;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if ((c.Args[i] & Ipc64) == 0)
            return command.Print(ref c, i, sb);
        ulong[] args = c.Args.ToArray(); // printing runs on the consumer's thread
        args[i] &= ~Ipc64;
        DecodeContext without = c;
        without.Args = args;
        sb.Append("IPC_64|");
        return command.Print(ref without, i, sb);
    }
}

/// <summary>set_thread_area's struct user_desc (i386): the descriptor given, and in the result the
/// entry the kernel chose when entry_number was -1: "= 0 (entry_number=12)".</summary>
internal sealed class UserDescCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.EntryAndExit, CaptureLength.Fixed, 16);

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        if (v == 0) sb.Append("NULL");
        else if (c.Data.TryGetFull(CaptureSlot.Entry(i), 16, out ReadOnlySpan<byte> b)) UserDesc(sb, b);
        else StraceText.Pointer(sb, v);
        return true;
    }

    public override void PrintResult(ref DecodeContext c, long ret, StringBuilder sb)
    {
        if (c.Data.TryGetFull(CaptureSlot.Exit(0), 16, out ReadOnlySpan<byte> b))
            sb.Append(" (entry_number=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture)).Append(')');
    }

    internal static void UserDesc(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
        sb.Append("{entry_number=").Append(BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture))
          .Append(", base_addr=");
        StraceText.Hex(sb, BinaryPrimitives.ReadUInt32LittleEndian(b[4..]));
        sb.Append(", limit=0x").Append(BinaryPrimitives.ReadUInt32LittleEndian(b[8..]).ToString("x6", CultureInfo.InvariantCulture))
          .Append(", seg_32bit=").Append(bits & 1)
          .Append(", contents=").Append((bits >> 1) & 3)
          .Append(", read_exec_only=").Append((bits >> 3) & 1)
          .Append(", limit_in_pages=").Append((bits >> 4) & 1)
          .Append(", seg_not_present=").Append((bits >> 5) & 1)
          .Append(", useable=").Append((bits >> 6) & 1).Append('}');
    }
}

/// <summary>i386's old sigreturn: the mask it restores, from the sigframe's sigcontext (oldmask, the
/// low word) and extramask (the high word): {mask=[INT]}.</summary>
internal sealed class OldSigreturnMaskCodec : ArgCodec
{
    public override CapturePlan Plan { get; } = new(CaptureWhen.Entry, CaptureLength.Fixed, 4, Shape: CaptureShape.SignalFrameMask, Offset: 80, Compat: CompatLayout.Ilp32);

    public override CType DefaultType => CType.Pointer;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        sb.Append("{mask=");
        if (c.Data.TryGetFull(CaptureSlot.Entry(i), 4, out ReadOnlySpan<byte> low) && c.Data.TryGetFull(CaptureSlot.Extra, 4, out ReadOnlySpan<byte> high))
        {
            Span<byte> set = stackalloc byte[8];
            low.CopyTo(set);
            high.CopyTo(set[4..]);
            DecodeText.Sigset(sb, set);
        }
        else
        {
            sb.Append('?');
        }
        sb.Append('}');
        return true;
    }
}

/// <summary>i386's old_sigset_t (sigprocmask, sigpending): one word of signals.</summary>
internal sealed class OldSigsetCodec(Direction direction) : ArgCodec
{
    public override CapturePlan Plan { get; } = direction == Direction.In ? CapturePlan.AtEntry(4) : CapturePlan.AtExit(4);

    protected override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < 4)
            return false;
        DecodeText.Sigset(sb, b);
        return true;
    }
}

/// <summary>signal()'s handler, and its result: SIG_DFL, SIG_IGN, else an address; a result that
/// names one is explained: "0 (SIG_DFL)".</summary>
internal sealed class SignalHandlerCodec : ArgCodec
{
    public override CType DefaultType => CType.Pointer;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        string? name = v switch { 0 => "SIG_DFL", 1 => "SIG_IGN", 0xffffffff => "SIG_ERR", _ => null };
        if (name is not null) sb.Append(name);
        else if (i >= 0) StraceText.Pointer(sb, v);
        else return false; // a handler's address as the result: nothing to add
        return true;
    }
}

/// <summary>ssetmask's and sgetmask's signal mask, a value in the register: "[USR1]"; as a result,
/// with its label: "0 (old mask [])".</summary>
internal sealed class SignalMaskValueCodec(string? label) : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        Span<byte> set = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(set, (uint)v);
        sb.Append(label);
        DecodeText.Sigset(sb, set);
        return true;
    }
}

/// <summary>A 64-bit flag set passed in two registers (fanotify_mark's mask: low word, then high),
/// printed by the flag codec of the whole value; the next argument's token is "-".</summary>
internal sealed class SplitValueCodec(ArgCodec whole) : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong[] args = c.Args.ToArray(); // printing runs on the consumer's thread
        args[i] = (uint)args[i] | (i + 1 < args.Length ? (ulong)(uint)args[i + 1] << 32 : 0);
        DecodeContext joined = c;
        joined.Args = args;
        return whole.Print(ref joined, i, sb);
    }
}

/// <summary>ipc()'s first argument: the call, with its version above 16 bits: "42&lt;&lt;16|10".</summary>
internal sealed class IpcCallCodec : ArgCodec
{
    public override CType DefaultType => CType.UInt;

    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        uint version = (uint)v >> 16, call = (uint)v & 0xffff;
        if (version != 0) sb.Append(version.ToString(CultureInfo.InvariantCulture)).Append("<<16|");
        sb.Append(call.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>socketcall's call: its SYS_* name, else the number (strace adds no comment here).</summary>
internal sealed class SocketCallCodec(Named[] calls) : ArgCodec
{
    protected override bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        foreach (Named n in calls)
        {
            if (n.Value == (uint)v)
            {
                sb.Append(n.Name);
                return true;
            }
        }
        sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>ptrace's data argument on i386: as on x86_64 (the peeked word widened), but the
/// siginfo_t of PTRACE_GETSIGINFO/SETSIGINFO, whose i386 layout is not modelled, as its address.</summary>
internal sealed class PtraceDataCodec(ArgCodec inner) : ArgCodec
{
    private const ulong GetSiginfo = 0x4202, SetSiginfo = 0x4203;

    public override CapturePlan EntryPlan => inner.EntryPlan;

    public override CapturePlan ExitPlan => inner.ExitPlan;

    public override CType DefaultType => inner.DefaultType;

    public override bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        if (c.Args[0] is not (GetSiginfo or SetSiginfo))
            return inner.Print(ref c, i, sb);
        StraceText.Pointer(sb, c.Args[i]);
        return true;
    }
}
