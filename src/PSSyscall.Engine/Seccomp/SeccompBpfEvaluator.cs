using System.Globalization;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Predicts the kernel's decision for a call under a thread's stack of filters, as
/// seccomp_run_filters (kernel/seccomp.c) makes it: every filter runs on the same seccomp_data,
/// from the most recently installed to the first; the verdict whose action
/// (SECCOMP_RET_ACTION_FULL, compared as a signed 32-bit number) is lowest wins, so KillProcess
/// beats KillThread beats Trap beats Errno beats Notify beats Trace beats Log beats Allow; between
/// equal actions the first filter run wins, with its data (its errno). The filters are taken in the
/// order given (the first given runs first), except that filters read from a process (all with an
/// <see cref="SeccompBpfProgram.Index"/>) are run from the highest index down, as the kernel runs them.
/// </summary>
public static class SeccompBpfEvaluator
{
    private const uint ActionFull = 0xffff0000;

    public static SeccompTestResult Evaluate(IReadOnlyList<SeccompBpfProgram> filters, string name, SyscallArchitecture architecture, IReadOnlyList<ulong>? arguments, ulong instructionPointer = 0)
    {
        SyscallTable table = SyscallTable.For(architecture);
        if (!table.TryGetNumber(name, out int number))
        {
            string where = SyscallNameMatcher.IsKnownSyscall(name) ? $" The {architecture} ABI has no '{name}'." : "";
            string hint = where.Length > 0 ? where : SyscallNameMatcher.DidYouMean(name, table.Names);
            throw new SeccompException("UnknownSyscall", $"No syscall named '{name}' on {architecture}.{hint}", name);
        }
        return Evaluate(filters, architecture, number, arguments, instructionPointer);
    }

    public static SeccompTestResult Evaluate(IReadOnlyList<SeccompBpfProgram> filters, SyscallArchitecture architecture, int number, IReadOnlyList<ulong>? arguments, ulong instructionPointer = 0)
    {
        if (filters.Count == 0)
            throw new ArgumentException("At least one filter is needed.", nameof(filters));
        Span<ulong> args = stackalloc ulong[6];
        if (arguments is not null)
        {
            if (arguments.Count > 6)
                throw new SeccompException("ArgumentIndexOutOfRange", $"A syscall has at most 6 arguments; {arguments.Count} were given.", arguments.Count);
            for (int i = 0; i < arguments.Count; i++)
                args[i] = arguments[i];
        }
        var data = SeccompData.For(architecture, number, args, instructionPointer);
        uint verdict = Run(InKernelOrder(filters), data, out int executed, out _);
        SeccompAction action = SeccompAction.FromKernelValue(verdict);
        int shown = arguments?.Count ?? 0;
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < shown; i++)
            text.Append(i > 0 ? ", 0x" : "0x").Append(args[i].ToString("x", CultureInfo.InvariantCulture));
        return new SeccompTestResult
        {
            Name = SyscallTable.For(architecture).GetDisplayName(number),
            Number = number,
            Architecture = architecture,
            Arguments = text.ToString(),
            Action = action.ToString(),
            ActionKind = action.Kind,
            ErrorNumber = action.Kind == SeccompActionKind.Errno ? action.Data : null,
            ErrnoName = action.Kind == SeccompActionKind.Errno ? ErrnoNames.GetName(action.Data) : null,
            TraceData = action.Kind == SeccompActionKind.Trace ? action.Data : null,
            ReturnValue = verdict,
            InstructionsExecuted = executed,
        };
    }

    /// <summary>The order the kernel runs the filters in: as given, or, when every one was read
    /// from a process, by index from the highest (the most recently installed) down.</summary>
    public static IReadOnlyList<SeccompBpfProgram> InKernelOrder(IReadOnlyList<SeccompBpfProgram> filters)
        => filters.Count > 1 && filters.All(f => f.Index is not null && f.ProcessId is not null)
            ? filters.OrderByDescending(f => f.Index!.Value).ToArray()
            : filters;

    /// <summary>Runs every filter on one seccomp_data and combines the verdicts as the kernel does.
    /// <paramref name="decidedBy"/> is the index (in <paramref name="filters"/>) of the filter whose
    /// verdict won; <paramref name="executed"/> sums the instructions of all.</summary>
    public static uint Run(IReadOnlyList<SeccompBpfProgram> filters, in SeccompData data, out int executed, out int decidedBy)
    {
        uint result = 0x7fff0000; // SECCOMP_RET_ALLOW, as the kernel starts
        executed = 0;
        decidedBy = -1;
        for (int f = 0; f < filters.Count; f++)
        {
            uint current = BpfInterpreter.Run(filters[f].Program, data, out int n);
            executed += n;
            if (decidedBy < 0 || (int)(current & ActionFull) < (int)(result & ActionFull))
            {
                result = current;
                decidedBy = f;
            }
        }
        return result;
    }
}
