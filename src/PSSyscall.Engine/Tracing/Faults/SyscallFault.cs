using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Tracing;
using PSSyscall.Engine.Tracing.Faults;

namespace PSSyscall;

/// <summary>
/// A fault to inject while tracing, as strace's --inject does: which calls (names, and optionally a
/// path and a process), when (occurrence and probability), and what happens to them (an error, a
/// return value, a signal, delays). Immutable and reusable: each trace counts occurrences afresh,
/// across the whole traced tree, over the calls that match the names and the where-conditions.
/// </summary>
public sealed class SyscallFault
{
    private SyscallFault(FaultDefinition d, FaultSyscallSet set, FaultOccurrence when, int errno, int signal, Regex? path, int substitute)
    {
        SubstituteNumber = substitute;
        SubstituteSyscall = substitute >= 0 ? d.SubstituteSyscall!.Trim() : null;
        PokeEnterList = d.PokeEnter;
        PokeExitList = d.PokeExit;
        PokeEnter = d.PokeEnter.Count > 0 ? FaultPoke.Format(d.PokeEnter) : null;
        PokeExit = d.PokeExit.Count > 0 ? FaultPoke.Format(d.PokeExit) : null;
        SyscallSet = set;
        When = when;
        ErrnoNumber = errno;
        SignalNumber = signal;
        PathPattern = path;
        Name = string.Join(",", d.Names.Select(n => n.Trim()).Where(n => n.Length > 0));
        Errno = errno > 0 ? ErrnoNames.GetName(errno) ?? errno.ToString(CultureInfo.InvariantCulture) : null;
        ReturnValue = d.ReturnValue;
        Signal = signal > 0 ? SignalNames.GetName(signal) : null;
        DelayEntry = d.DelayEntry;
        DelayExit = d.DelayExit;
        Occurrence = when.ToString();
        Probability = d.Probability ?? 1.0;
        Seed = d.Seed;
        PathLike = d.PathLike;
        ProcessId = d.ProcessId;
        Effect = DescribeEffect();
    }

    // ---- what users see (flat scalars) ----

    /// <summary>The syscall names, wildcards and classes, as given ("openat,write").</summary>
    public string Name { get; }

    /// <summary>What the fault does, in strace's words: "error=ENOSPC", "retval=0",
    /// "signal=SIGSEGV", "delay_exit=200ms", joined with ':' when combined. Injected events carry it
    /// as their Fault property.</summary>
    public string Effect { get; }

    public string? Errno { get; }
    public long? ReturnValue { get; }
    public string? Signal { get; }
    public TimeSpan? DelayEntry { get; }
    public TimeSpan? DelayExit { get; }

    /// <summary>strace's when= form: "1+" (every call), "3", "2..10+2".</summary>
    public string Occurrence { get; }

    public double Probability { get; }
    public int? Seed { get; }
    public string? PathLike { get; }
    public int? ProcessId { get; }

    /// <summary>strace's syscall=: the side-effect-free call the kernel runs instead (getpid...).</summary>
    public string? SubstituteSyscall { get; }

    /// <summary>strace's poke_enter=: "@arg2=4142" (bytes written at the second argument's address on entry).</summary>
    public string? PokeEnter { get; }

    /// <summary>strace's poke_exit=: bytes written at arguments' addresses when the call returns.</summary>
    public string? PokeExit { get; }

    /// <summary>The syscall names the fault resolved to, comma-separated.</summary>
    public string Syscalls => string.Join(",", SyscallSet.Names);

    // ---- what the injector uses ----
    internal FaultSyscallSet SyscallSet { get; }
    internal FaultOccurrence When { get; }
    internal int ErrnoNumber { get; }
    internal int SignalNumber { get; }
    internal Regex? PathPattern { get; }
    internal int SubstituteNumber { get; } = -1;
    internal IReadOnlyList<FaultPoke> PokeEnterList { get; }
    internal IReadOnlyList<FaultPoke> PokeExitList { get; }

    /// <summary>The call is replaced (skipped) and returns an error or a chosen value.</summary>
    internal bool SkipsCall => ErrnoNumber > 0 || ReturnValue.HasValue;

    /// <summary>The value the skipped call returns, as the kernel would (-errno for errors).</summary>
    internal long InjectedReturn => ErrnoNumber > 0 ? -ErrnoNumber : ReturnValue ?? 0;

    /// <summary>Checks and resolves a definition. Throws <see cref="FaultException"/> with a stable
    /// id: ConflictingFaultEffects, NoFaultEffect, UnknownErrno, UnknownSignal, InvalidProbability,
    /// InvalidOccurrence, InvalidDelay, InvalidPathPattern, UnknownSyscall, UnknownSyscallClass.</summary>
    public static SyscallFault Create(FaultDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        FaultDefinition d = definition;
        if (d.Errno is not null && d.ReturnValue.HasValue)
            throw new FaultException("ConflictingFaultEffects", d.Errno,
                "A fault either fails the call (-Errno) or makes it return a value (-ReturnValue), not both. Use two faults with different -Occurrence values to do both.");
        int substitute = -1;
        if (d.SubstituteSyscall is { } sub)
        {
            if (d.Errno is null && !d.ReturnValue.HasValue)
                throw new FaultException("SubstituteWithoutResult", sub,
                    $"-SubstituteSyscall {sub} replaces a call whose result the fault sets: give -Errno or -ReturnValue too (strace's syscall= needs error= or retval=).");
            if (!PSSyscall.Engine.Syscalls.SyscallTable.X86_64.TryGetNumber(sub.Trim(), out substitute))
                throw new FaultException("UnknownSyscall", sub, $"No syscall named '{sub}' can be run instead.");
            if ((PSSyscall.Engine.Syscalls.SyscallTable.X86_64.GetClasses(substitute) & SyscallClass.Pure) == 0)
                throw new FaultException("SubstituteNotPure", sub,
                    $"'{sub}' has effects of its own: only calls of class Pure (getpid, getuid, gettid, getppid...), which change nothing, may run instead of another, as strace allows.");
        }

        if (d.Errno is null && !d.ReturnValue.HasValue && d.Signal is null && d.DelayEntry is null && d.DelayExit is null
            && d.PokeEnter.Count == 0 && d.PokeExit.Count == 0)
            throw new FaultException("NoFaultEffect", string.Join(",", d.Names),
                "Say what the fault does: -Errno, -ReturnValue, -Signal, -DelayEntry, -DelayExit, -PokeEnter or -PokeExit.");
        int errno = 0;
        if (d.Errno is not null && !ErrnoNames.TryParse(d.Errno, out errno))
        {
            string[] close = SyscallFilter.Closest(d.Errno.Trim().ToUpperInvariant(), ErrnoNames.AllNames.ToArray(), 3);
            throw new FaultException("UnknownErrno", d.Errno,
                $"'{d.Errno}' is not an errno." + DidYouMean(close)
                + $" Give a name such as ENOENT, ENOSPC or EACCES, or a number from 1 to {ErrnoNames.MaxErrno}.");
        }
        if (d.ReturnValue is long rv && rv < 0 && rv >= -ErrnoNames.MaxErrno)
            throw new FaultException("ReturnValueIsAnError", rv.ToString(CultureInfo.InvariantCulture),
                $"The return value {rv} is how the kernel reports errno {-rv}: use -Errno {ErrnoNames.GetName((int)-rv) ?? (-rv).ToString(CultureInfo.InvariantCulture)} to fail the call.");

        int signal = 0;
        if (d.Signal is not null && !SignalNames.TryParse(d.Signal, out signal))
        {
            string upper = d.Signal.Trim().ToUpperInvariant();
            string[] close = SyscallFilter.Closest(upper.StartsWith("SIG", StringComparison.Ordinal) ? upper : "SIG" + upper, SignalNames.AllNames.ToArray(), 3);
            throw new FaultException("UnknownSignal", d.Signal,
                $"'{d.Signal}' is not a signal." + DidYouMean(close)
                + $" Give a name such as SIGSEGV, SIGTERM or SIGUSR1 (the SIG prefix is optional), or a number from 1 to {SignalNames.Max}.");
        }

        CheckDelay(d.DelayEntry, "DelayEntry");
        CheckDelay(d.DelayExit, "DelayExit");

        if (d.Probability is double p && (double.IsNaN(p) || p < 0 || p > 1))
            throw new FaultException("InvalidProbability", p.ToString(CultureInfo.InvariantCulture),
                $"The probability {p.ToString(CultureInfo.InvariantCulture)} is outside 0..1: give the chance that a selected call is hit, e.g. 0.3 for 30%.");

        FaultOccurrence when = d.Occurrence is null ? FaultOccurrence.Always : FaultOccurrence.Parse(d.Occurrence);

        Regex? path = null;
        if (!string.IsNullOrEmpty(d.PathLike))
        {
            try
            {
                path = FaultSyscallSet.ToRegex(d.PathLike, ignoreCase: false);
            }
            catch (ArgumentException e)
            {
                throw new FaultException("InvalidPathPattern", d.PathLike, $"'{d.PathLike}' is not a valid wildcard pattern: {e.Message}");
            }
        }
        if (d.ProcessId is int pid && pid <= 0)
            throw new FaultException("InvalidProcessId", pid.ToString(CultureInfo.InvariantCulture), "A process id is a positive number.");

        FaultSyscallSet set = FaultSyscallSet.Resolve(d.Names);
        return new SyscallFault(d, set, when, errno, signal, path, substitute);
    }

    private static string DidYouMean(string[] close) => close.Length switch
    {
        0 => "",
        1 => $" Did you mean '{close[0]}'?",
        _ => " Did you mean " + string.Join(", ", close[..^1].Select(c => $"'{c}'")) + $" or '{close[^1]}'?",
    };

    private static void CheckDelay(TimeSpan? delay, string name)
    {
        if (delay is TimeSpan t && (t < TimeSpan.Zero || t > TimeSpan.FromDays(1)))
            throw new FaultException("InvalidDelay", t.ToString(),
                $"-{name} {t} is not a usable delay: give a time from 0 to one day, e.g. 200ms as [TimeSpan]'0:0:0.2' or (New-TimeSpan -Milliseconds 200).");
    }

    private string DescribeEffect()
    {
        var parts = new List<string>(4);
        if (Errno is not null)
            parts.Add("error=" + Errno);
        if (ReturnValue is long rv)
            parts.Add("retval=" + rv.ToString(CultureInfo.InvariantCulture));
        if (Signal is not null)
            parts.Add("signal=" + Signal);
        if (DelayEntry is TimeSpan de)
            parts.Add("delay_enter=" + FormatDelay(de));
        if (DelayExit is TimeSpan dx)
            parts.Add("delay_exit=" + FormatDelay(dx));
        if (SubstituteSyscall is not null)
            parts.Add("syscall=" + SubstituteSyscall);
        if (PokeEnter is not null)
            parts.Add("poke_enter=" + PokeEnter);
        if (PokeExit is not null)
            parts.Add("poke_exit=" + PokeExit);
        return string.Join(":", parts);
    }

    /// <summary>200ms, 2s, 1500us: the shortest exact form.</summary>
    internal static string FormatDelay(TimeSpan t)
    {
        var c = CultureInfo.InvariantCulture;
        long us = t.Ticks / 10;
        if (us % 1_000_000 == 0)
            return (us / 1_000_000).ToString(c) + "s";
        if (us % 1000 == 0)
            return (us / 1000).ToString(c) + "ms";
        return us.ToString(c) + "us";
    }

    /// <summary>The equivalent strace option, as far as strace can say it:
    /// "inject=openat:error=ENOENT:when=3", plus the conditions strace has no words for.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("inject=");
        sb.Append(Name).Append(':').Append(Effect);
        if (Occurrence != "1+")
            sb.Append(":when=").Append(Occurrence);
        if (Probability < 1)
            sb.Append(" probability=").Append(Probability.ToString(CultureInfo.InvariantCulture));
        if (Seed is int seed)
            sb.Append(" seed=").Append(seed.ToString(CultureInfo.InvariantCulture));
        if (PathLike is not null)
            sb.Append(" path=").Append(PathLike);
        if (ProcessId is int pid)
            sb.Append(" pid=").Append(pid.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
