using System.Globalization;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Predicts the kernel's decision for a call under a compiled filter: builds the seccomp_data the
/// kernel would build for that (ABI, number, arguments) and runs the program in
/// <see cref="BpfInterpreter"/>.
/// </summary>
public static class SeccompEmulator
{
    public static SeccompTestResult Evaluate(CompiledSeccompFilter filter, string name, SyscallArchitecture architecture, IReadOnlyList<ulong>? arguments, ulong instructionPointer = 0)
    {
        SyscallTable table = SyscallTable.For(architecture);
        if (!table.TryGetNumber(name, out int number))
        {
            var others = SyscallTable.AllArchitectures.Where(t => t.TryGetNumber(name, out _)).Select(t => t.Architecture.ToString()).ToList();
            string where = others.Count > 0
                ? $" The {architecture} ABI has no '{name}'; {string.Join(", ", others.Take(6))}{(others.Count > 6 ? " ..." : "")} {(others.Count == 1 ? "has" : "have")} it."
                : SyscallNameMatcher.IsKnownSyscall(name) ? $" The {architecture} ABI has no '{name}'." : "";
            string hint = where.Length > 0 ? where : SyscallNameMatcher.DidYouMean(name, table.Names);
            throw new SeccompException("UnknownSyscall", $"No syscall named '{name}' on {architecture}.{hint}", name);
        }
        return Evaluate(filter, architecture, number, arguments, instructionPointer);
    }

    public static SeccompTestResult Evaluate(CompiledSeccompFilter filter, SyscallArchitecture architecture, int number, IReadOnlyList<ulong>? arguments, ulong instructionPointer = 0)
    {
        Span<ulong> args = stackalloc ulong[6];
        if (arguments is not null)
        {
            if (arguments.Count > 6)
                throw new SeccompException("ArgumentIndexOutOfRange", $"A syscall has at most 6 arguments; {arguments.Count} were given.", arguments.Count);
            for (int i = 0; i < arguments.Count; i++)
                args[i] = arguments[i];
        }
        // The seccomp_data the filter's machine would build: in that machine's byte order.
        var data = SeccompData.For(architecture, number, args, instructionPointer, filter.BigEndian);
        uint verdict = BpfInterpreter.Run(filter.Program, data, out int executed);
        SeccompAction action = SeccompAction.FromKernelValue(verdict);
        int shown = arguments?.Count ?? 0;
        return new SeccompTestResult
        {
            Name = SyscallTable.For(architecture).GetDisplayName(number),
            Number = number,
            Architecture = architecture,
            Arguments = string.Join(", ", Enumerable.Range(0, shown).Select(i => "0x" + Argument(data, i).ToString("x", CultureInfo.InvariantCulture))),
            Action = action.ToString(),
            ActionKind = action.Kind,
            ErrorNumber = action.Kind == SeccompActionKind.Errno ? action.Data : null,
            ErrnoName = action.Kind == SeccompActionKind.Errno ? ErrnoNames.GetName(action.Data) : null,
            TraceData = action.Kind == SeccompActionKind.Trace ? action.Data : null,
            ReturnValue = verdict,
            InstructionsExecuted = executed,
        };
    }

    private static ulong Argument(in SeccompData data, int index) => data.Argument(index);

    /// <summary>The most instructions the program runs for any call: every number of every admitted
    /// ABI (plus one foreign-ABI probe), each with all-zero, all-ones and small arguments.</summary>
    public static int WorstCaseInstructions(CompiledSeccompFilter filter)
    {
        int worst = 0;
        ulong[][] vectors =
        {
            new ulong[6],
            Enumerable.Repeat(ulong.MaxValue, 6).ToArray(),
            new ulong[] { 1, 2, 3, 4, 5, 6 },
            Enumerable.Repeat(0xffffffffUL, 6).ToArray(),
        };
        foreach (SyscallArchitecture arch in Enum.GetValues<SyscallArchitecture>())
        {
            SyscallTable table = SyscallTable.For(arch);
            foreach (var (number, _) in table.Entries)
                foreach (ulong[] args in vectors)
                {
                    BpfInterpreter.Run(filter.Program, SeccompData.For(arch, number, args, 0, filter.BigEndian), out int executed);
                    worst = Math.Max(worst, executed);
                }
        }
        return worst;
    }
}
