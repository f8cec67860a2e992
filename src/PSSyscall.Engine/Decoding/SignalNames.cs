namespace PSSyscall.Engine.Decoding;

/// <summary>Signal names by number for x86_64 Linux, as strace prints them (SIGRT_n for the
/// real-time range, counted from SIGRTMIN = 32).</summary>
public static class SignalNames
{
    private static readonly string[] Names =
    {
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
        "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    /// <summary>The highest signal number (the kernel's _NSIG - 1).</summary>
    public const int Max = 64;

    public static string GetName(int signal)
    {
        if (signal >= 0 && signal < Names.Length)
            return Names[signal];
        if (signal >= 32 && signal <= Max)
            return signal == 32 ? "SIGRTMIN" : $"SIGRT_{signal - 32}";
        return signal.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Parses SIGTERM, TERM, sigterm, SIGRTMIN+3, SIGRT_3 or a number.</summary>
    public static bool TryParse(string text, out int signal)
    {
        text = text.Trim();
        if (int.TryParse(text, out signal))
            return signal > 0 && signal <= Max;
        string upper = text.ToUpperInvariant();
        if (!upper.StartsWith("SIG", StringComparison.Ordinal))
            upper = "SIG" + upper;
        for (int i = 1; i < Names.Length; i++)
        {
            if (Names[i] == upper)
            {
                signal = i;
                return true;
            }
        }
        if (upper == "SIGIOT") { signal = 6; return true; }
        if (upper == "SIGPOLL") { signal = 29; return true; }
        if (upper.StartsWith("SIGRTMIN", StringComparison.Ordinal))
        {
            string rest = upper[8..];
            int offset = 0;
            if (rest.Length == 0 || (rest[0] == '+' && int.TryParse(rest[1..], out offset)))
            {
                signal = 32 + offset;
                return signal <= Max;
            }
        }
        if (upper.StartsWith("SIGRT_", StringComparison.Ordinal) && int.TryParse(upper[6..], out int n))
        {
            signal = 32 + n;
            return signal <= Max;
        }
        signal = 0;
        return false;
    }

    public static IEnumerable<string> AllNames => Names.Skip(1);
}
