using System.Globalization;

namespace PSSyscall.Engine.Decoding;

/// <summary>siginfo si_code names (asm-generic/siginfo.h), generic and per signal, as strace prints them.</summary>
public static class SignalCodes
{
    public static string GetName(int signal, int code)
    {
        string? generic = code switch
        {
            0 => "SI_USER",
            0x80 => "SI_KERNEL",
            -1 => "SI_QUEUE",
            -2 => "SI_TIMER",
            -3 => "SI_MESGQ",
            -4 => "SI_ASYNCIO",
            -5 => "SI_SIGIO",
            -6 => "SI_TKILL",
            -7 => "SI_DETHREAD",
            -60 => "SI_ASYNCNL",
            _ => null,
        };
        if (generic is not null)
            return generic;
        string? specific = signal switch
        {
            17 => code switch { 1 => "CLD_EXITED", 2 => "CLD_KILLED", 3 => "CLD_DUMPED", 4 => "CLD_TRAPPED", 5 => "CLD_STOPPED", 6 => "CLD_CONTINUED", _ => null },
            11 => code switch { 1 => "SEGV_MAPERR", 2 => "SEGV_ACCERR", 3 => "SEGV_BNDERR", 4 => "SEGV_PKUERR", 5 => "SEGV_ACCADI", 6 => "SEGV_ADIDERR", 7 => "SEGV_ADIPERR", 8 => "SEGV_MTEAERR", 9 => "SEGV_MTESERR", 10 => "SEGV_CPERR", _ => null },
            7 => code switch { 1 => "BUS_ADRALN", 2 => "BUS_ADRERR", 3 => "BUS_OBJERR", 4 => "BUS_MCEERR_AR", 5 => "BUS_MCEERR_AO", _ => null },
            4 => code switch { 1 => "ILL_ILLOPC", 2 => "ILL_ILLOPN", 3 => "ILL_ILLADR", 4 => "ILL_ILLTRP", 5 => "ILL_PRVOPC", 6 => "ILL_PRVREG", 7 => "ILL_COPROC", 8 => "ILL_BADSTK", _ => null },
            8 => code switch { 1 => "FPE_INTDIV", 2 => "FPE_INTOVF", 3 => "FPE_FLTDIV", 4 => "FPE_FLTOVF", 5 => "FPE_FLTUND", 6 => "FPE_FLTRES", 7 => "FPE_FLTINV", 8 => "FPE_FLTSUB", _ => null },
            5 => code switch { 1 => "TRAP_BRKPT", 2 => "TRAP_TRACE", 3 => "TRAP_BRANCH", 4 => "TRAP_HWBKPT", 5 => "TRAP_UNK", 6 => "TRAP_PERF", _ => null },
            29 => code switch { 1 => "POLL_IN", 2 => "POLL_OUT", 3 => "POLL_MSG", 4 => "POLL_ERR", 5 => "POLL_PRI", 6 => "POLL_HUP", _ => null },
            31 => code == 1 ? "SYS_SECCOMP" : null,
            _ => null,
        };
        // An unknown code is shown in hex, as strace prints values missing from its tables.
        return specific ?? "0x" + ((uint)code).ToString("x", CultureInfo.InvariantCulture);
    }
}
