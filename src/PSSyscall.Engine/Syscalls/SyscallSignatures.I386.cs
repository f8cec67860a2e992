using System.Collections.Frozen;
using PSSyscall.Engine.Decoding.Codecs;

namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// The i386 signatures (a 32-bit tracee on this x86_64 host, as strace's m32 personality decodes
/// it). Most i386 calls share x86_64's line by name: the same tokens make the same codecs, which
/// <see cref="I386Codecs.Adapt"/> gives the 32-bit layouts (a long and a pointer are 4 bytes).
/// The calls only i386 has, or whose arguments differ there, have their own line below; the
/// *32 credential calls and the *_time64 calls are x86_64's calls under another name.
/// </summary>
internal static partial class SyscallSignatures
{
    private static readonly string[] I386Data =
    {
        // 64-bit values in two registers ("ll -": low word, then high; _llseek: high first)
        "_llseek|TD|d|fd llhi - loff> whence",
        "truncate64|TF|d|path ll -",
        "ftruncate64|TD|d|fd ll -",
        "pread64|TD|d|fd bo u ll -",
        "pwrite64|TD|d|fd bi u ll -",
        "preadv|TD|d|fd iovo i ll -",
        "pwritev|TD|d|fd iovi i ll -",
        "preadv2|TD|d|fd iovo i ll - rwf",
        "pwritev2|TD|d|fd iovi i ll - rwf",
        "fadvise64|TD|d|fd ll - u fadv",
        "fadvise64_64|TD|d|fd ll - ll - fadv",
        "sync_file_range|TD|d|fd ll - ll - sfrflags",
        "fallocate|TD|d|fd fallocmode ll - ll -",
        "readahead|TD|d|fd ll - u",
        "sendfile64|TD,TN|d|fd fd sfoff! u",
        // struct stat64, struct statfs64 (with its size)
        "stat64|TF,TST|d|path stat64>",
        "lstat64|TF,TLST|d|path stat64>",
        "fstat64|TD,TFST|d|fd stat64>",
        "fstatat64|TD,TF,TFST|d|dfd path stat64> atf",
        "statfs64|TF,TSF,TSFA|d|path u statfs64>",
        "fstatfs64|TD,TFSF,TSFA|d|fd u statfs64>",
        // memory: mmap2's offset is in pages (the old mmap's arguments are read from its struct by the tracer)
        "mmap2|TD,TM|x|p u prot mflags fd pgoff",
        // 16-bit ids (the *32 calls take x86_64's lines)
        "setuid|TC|d|uid16",
        "setgid|TC|d|uid16",
        "setreuid|TC|d|uid16 uid16",
        "setregid|TC|d|uid16 uid16",
        "setresuid|TC|d|uid16 uid16 uid16",
        "setresgid|TC|d|uid16 uid16 uid16",
        "setfsuid|TC|d|uid16",
        "setfsgid|TC|d|uid16",
        "chown|TF|d|path uid16 uid16",
        "fchown|TD|d|fd uid16 uid16",
        "lchown|TF|d|path uid16 uid16",
        "getresuid|TC|d|p p p",
        "getresgid|TC|d|p p p",
        "getgroups|TC|d|i p",
        "setgroups|TC|d|i p",
        // struct rlimit64 (prlimit64) is x86_64's struct rlimit
        "prlimit64||d|i rres rlim<! rlim>!",
        // struct user_desc: the entry the kernel chose, in the result
        "set_thread_area||d=userdescres|userdesc",
        "sigreturn|TS|d|oldsigret",
        // one-word signal sets (old_sigset_t)
        "sigaction|TS|d|sig oldsa< oldsa>",
        "sigprocmask|TS|d|how oldset< oldset>",
        "sigpending|TS|d|oldset>",
        "nice||d|i",
        "signal|TS|x=sighandler|sig sighandler",
        "ssetmask|TS|d=oldmaskres|maskvalue",
        "sgetmask|TS|d=maskres|",
        "olduname||d|p",
        "fanotify_mark|TD,TF|d|fd fanmarkflags:uint fanevents64 - fandfd path",
        "socketcall|TN|d|socketcallno p",
        "ipc|TI|d|ipccall i i i x i",
        "oldolduname||d|p",
    };

    /// <summary>i386 names decoded as an x86_64 call: (its name, true when its times are the
    /// 64-bit ones: the *_time64 calls read x86_64's struct timespec).</summary>
    private static readonly FrozenDictionary<string, (string Name, bool Time64)> I386Aliases = new Dictionary<string, (string, bool)>
    {
        ["getuid32"] = ("getuid", false), ["getgid32"] = ("getgid", false), ["geteuid32"] = ("geteuid", false),
        ["getegid32"] = ("getegid", false), ["setuid32"] = ("setuid", false), ["setgid32"] = ("setgid", false),
        ["setreuid32"] = ("setreuid", false), ["setregid32"] = ("setregid", false), ["setresuid32"] = ("setresuid", false),
        ["getresuid32"] = ("getresuid", false), ["setresgid32"] = ("setresgid", false), ["getresgid32"] = ("getresgid", false),
        ["getgroups32"] = ("getgroups", false), ["setgroups32"] = ("setgroups", false), ["chown32"] = ("chown", false),
        ["fchown32"] = ("fchown", false), ["lchown32"] = ("lchown", false), ["setfsuid32"] = ("setfsuid", false),
        ["setfsgid32"] = ("setfsgid", false), ["ugetrlimit"] = ("getrlimit", false), ["_newselect"] = ("select", false),
        ["fcntl64"] = ("fcntl", false),
        ["clock_gettime64"] = ("clock_gettime", true), ["clock_settime64"] = ("clock_settime", true),
        ["clock_adjtime64"] = ("clock_adjtime", true), ["clock_getres_time64"] = ("clock_getres", true),
        ["clock_nanosleep_time64"] = ("clock_nanosleep", true), ["timer_gettime64"] = ("timer_gettime", true),
        ["timer_settime64"] = ("timer_settime", true), ["timerfd_gettime64"] = ("timerfd_gettime", true),
        ["timerfd_settime64"] = ("timerfd_settime", true), ["utimensat_time64"] = ("utimensat", true),
        ["pselect6_time64"] = ("pselect6", true), ["ppoll_time64"] = ("ppoll", true),
        ["io_pgetevents_time64"] = ("io_pgetevents", true), ["recvmmsg_time64"] = ("recvmmsg", true),
        ["mq_timedsend_time64"] = ("mq_timedsend", true), ["mq_timedreceive_time64"] = ("mq_timedreceive", true),
        ["semtimedop_time64"] = ("semtimedop", true), ["rt_sigtimedwait_time64"] = ("rt_sigtimedwait", true),
        ["futex_time64"] = ("futex", true), ["sched_rr_get_interval_time64"] = ("sched_rr_get_interval", true),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Tokens of times that the *_time64 calls read in x86_64's layout.</summary>
    private static readonly FrozenSet<string> Time64Tokens = new[]
    {
        "ts<", "ts>", "tsrem>", "tsupdated", "tsl", "ep2ts", "itimerspec<", "itimerspec>", "timespecs<", "timex",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, SyscallSignature>? _i386;

    /// <summary>The i386 signature of a call named in the i386 table, or null (shown raw).</summary>
    public static SyscallSignature? GetI386(string name) => (_i386 ??= ParseI386()).TryGetValue(name, out var s) ? s : null;

    private static FrozenDictionary<string, SyscallSignature> ParseI386()
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in I386Data)
            own[line[..line.IndexOf('|')]] = line;
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Data)
            shared[line[..line.IndexOf('|')]] = line;
        var result = new Dictionary<string, SyscallSignature>(StringComparer.Ordinal);
        foreach (string name in SyscallNumbers.I386)
        {
            if (name is null || result.ContainsKey(name))
                continue;
            bool time64 = false;
            string? line = own.GetValueOrDefault(name);
            if (line is not null)
            {
            }
            else if (I386Aliases.TryGetValue(name, out var alias))
            {
                line = shared.GetValueOrDefault(alias.Name);
                time64 = alias.Time64;
            }
            else
            {
                line = shared.GetValueOrDefault(name);
            }
            if (line is null)
                continue;
            string[] f = line.Split('|');
            // A per-syscall printer that does not know the 32-bit layouts: the call stays raw.
            if (f.Length == 5 && !time64 && PSSyscall.Engine.Decoding.Printers.SyscallPrinters.Get(f[4])?.CompatCaptures is null)
                line = $"{f[0]}|{f[1]}|d|6";
            string syscall = f[0];
            SyscallSignature sig = ParseLine(line, (token, i, tokens) =>
            {
                if (token.EndsWith('!'))
                    return CodecRegistry.Create(token[..^1], i, tokens);
                if (I386Codecs.Create(token, new CodecSite(i, tokens)) is { } own)
                    return own;
                if (CodecRegistry.Create(token, i, tokens) is not { } codec)
                    return null;
                return time64 && Time64Tokens.Contains(token) ? codec : I386Codecs.Adapt(token, codec, syscall);
            });
            if (syscall == "clone" || (sig.Printer is { } printer && !time64))
                sig = new SyscallSignature(sig.Name, sig.Classes, sig.ReturnKind, sig.Arguments, sig.RawArgumentCount, sig.Types)
                {
                    Codecs = sig.Codecs, ResultCodec = sig.ResultCodec, Compat = true,
                    Printer = sig.Printer is null ? null : new PSSyscall.Engine.Decoding.Printers.CompatPrinter(sig.Printer),
                    // i386 clone: flags, stack, parent_tid, tls, child_tid
                    ArgumentOrder = syscall == "clone" ? [0, 1, 2, 4, 3] : null,
                };
            result[name] = sig;
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
