using PSSyscall.Engine.Native;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// Turns a <see cref="SeccompFilter"/> into classic BPF with libseccomp. Rules are first reduced to
/// one decision list per syscall (see the precedence on <see cref="SeccompFilter"/>), then added to
/// one libseccomp context for x86_64 and one for the foreign ABIs (i386, x32), merged and exported.
/// Two contexts because a syscall libseccomp 2.5 does not know by name can only be added by number
/// (seccomp_rule_add_exact) to a context with the native ABI alone.
/// </summary>
internal static class SeccompCompiler
{
    /// <summary>The kernel's BPF_MAXINSNS: seccomp(2) refuses longer programs with EINVAL.</summary>
    public const int MaxInstructions = 4096;

    private readonly record struct Decision(string Name, SeccompAction Action, SeccompCondition[] Conditions);

    public static CompiledSeccompFilter Compile(SeccompFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!LibSeccomp.IsAvailable)
            throw new SeccompException("LibSeccompMissing", "libseccomp.so.2 could not be loaded, so no seccomp filter can be compiled. Install it (Debian/Ubuntu: apt-get install libseccomp2; Fedora: dnf install libseccomp).");
        string? resolvedFor = null;
        if (filter.IsPortable)
        {
            // A portable profile names several machines and conditions on the host: compile it as
            // Docker would run it here. Resolve(host) chooses another machine explicitly.
            SeccompHost host = SeccompHost.Current;
            filter = filter.Resolve(host);
            resolvedFor = host.ToString();
        }
        var architectures = filter.Architectures.Distinct().ToList();
        if (architectures.Count == 0)
            throw new SeccompException("InvalidFilter", "A seccomp filter needs at least one architecture (x86_64, i386, x32, aarch64 ...).");
        // One program runs on one machine: libseccomp cannot put little- and big-endian ABIs in one
        // filter (EDOM). The first ABI listed decides; the others are left out, with a warning.
        bool bigEndian = ArchitectureInfo.Get(architectures[0]).BigEndian;
        var otherOrder = architectures.Where(a => ArchitectureInfo.Get(a).BigEndian != bigEndian).ToList();
        if (otherOrder.Count > 0)
        {
            architectures = architectures.Except(otherOrder).ToList();
            filter = filter.Copy();
            filter.Architectures = architectures;
        }
        if (filter.BadArchitectureAction.Kind == SeccompActionKind.Allow || filter.BadArchitectureAction.Kind == SeccompActionKind.Log)
            throw new SeccompException("InvalidFilter", $"The action for foreign ABIs cannot be {filter.BadArchitectureAction}: that would let any call through int 0x80 or x32 bypass the policy.");

        var unsupported = new SortedSet<string>(StringComparer.Ordinal);
        List<Decision> decisions = Reduce(filter, unsupported);

        bool native = architectures.Contains(SyscallArchitecture.X86_64);
        var foreign = architectures.Where(a => a != SyscallArchitecture.X86_64).ToList();
        var numbers = decisions.Select(d => SeccompContext.ResolveName(LibSeccomp.ArchNative, d.Name)).ToArray();
        // A second context only when it is needed: for foreign ABIs without x86_64, or when some
        // call must be added by number (exact rules need a context with the native ABI alone).
        bool byNumber = native && decisions.Where((d, i) => numbers[i] is null && SyscallTable.X86_64.TryGetNumber(d.Name, out _)).Any();
        bool separate = foreign.Count > 0 && (!native || byNumber);

        using var main = NewContext(filter);
        using var other = separate ? NewContext(filter) : null;
        SeccompContext foreignContext = other ?? main;
        // The native ABI goes first: an empty context takes the byte order of the first ABI added.
        if (other is not null)
            other.RemoveArchitecture(LibSeccomp.ArchX86_64);
        foreach (SyscallArchitecture arch in foreign)
            foreignContext.AddArchitecture(ArchitectureInfo.Get(arch).LibSeccompToken);

        Span<LibSeccomp.ArgCmp> buffer = stackalloc LibSeccomp.ArgCmp[6];
        for (int k = 0; k < decisions.Count; k++)
        {
            Decision d = decisions[k];
            Span<LibSeccomp.ArgCmp> conditions = buffer[..d.Conditions.Length];
            for (int i = 0; i < d.Conditions.Length; i++)
                conditions[i] = ToArgCmp(d.Conditions[i]);
            uint action = d.Action.ToKernelValue();
            int? nr = numbers[k];

            if (nr is int known)
            {
                // libseccomp translates the native (or pseudo) number to each ABI of the context;
                // a pseudo number (the call does not exist on x86_64) adds nothing there.
                if (native || other is null)
                    Check(main.AddRule(action, known, conditions), d);
                if (other is not null)
                    Check(other.AddRule(action, known, conditions), d);
            }
            else
            {
                // Newer than libseccomp's tables: x86_64 by number; i386/x32 cannot be placed.
                if (native && SyscallTable.X86_64.TryGetNumber(d.Name, out int number))
                    Check(main.AddRuleExact(action, number, conditions), d);
                if (foreign.Any(a => SyscallTable.For(a).TryGetNumber(d.Name, out _)))
                    unsupported.Add(d.Name);
            }
        }

        SeccompContext result = main;
        if (other is not null)
        {
            if (native)
                main.Merge(other);
            else
                result = other;
        }
        byte[] program = result.ExportBpf();
        if (bigEndian)
            RepairReturns(program, filter, decisions);
        int count = program.Length / 8;
        if (count > MaxInstructions)
            throw new SeccompException("FilterTooLarge",
                $"The filter compiles to {count} BPF instructions; the kernel accepts at most {MaxInstructions}. Use fewer argument conditions, or groups with an Allow default instead of long allow lists.", count);
        List<string> warnings = Warnings(filter, decisions, foreign);
        if (otherOrder.Count > 0)
            warnings.Insert(0, $"{string.Join(", ", otherOrder)} {(otherOrder.Count == 1 ? "is" : "are")} {(bigEndian ? "little" : "big")}-endian and {architectures[0]} is not: one BPF program serves machines of one byte order, so {(otherOrder.Count == 1 ? "it was" : "they were")} left out of this program. Compile a copy with -Architecture {otherOrder[0]} for {(otherOrder.Count == 1 ? "that machine" : "those machines")}.");
        return new CompiledSeccompFilter(program, filter.Copy(), unsupported.ToArray(), warnings) { ResolvedFor = resolvedFor };
    }

    /// <summary>Things that compile but may not mean what they say.</summary>
    private static List<string> Warnings(SeccompFilter filter, List<Decision> decisions, List<SyscallArchitecture> foreign)
    {
        var architectures = filter.Architectures;
        var warnings = new List<string>();
        var narrow = foreign.Where(a => ArchitectureInfo.Get(a).Bits == 32).ToList();
        if (narrow.Count > 0)
        {
            // libseccomp treats the arguments of 32-bit ABIs (i386, x32, arm, ppc, s390, mips o32
            // and n32, parisc) as 32-bit and drops the high word of values and masks:
            // "arg0 == 0x100000000" becomes "arg0 == 0" there.
            var wide = decisions.Where(d => d.Conditions.Any(c => c.Value > uint.MaxValue || c.Mask > uint.MaxValue))
                .Select(d => d.Name).Distinct().ToList();
            if (wide.Count > 0)
                warnings.Add($"On {string.Join(" and ", narrow)} libseccomp compares only the low 32 bits of values and masks; conditions above 0xFFFFFFFF change meaning there (for {string.Join(", ", wide)}).");
        }
        // socketcall and ipc carry their calls' arguments in memory, which a filter cannot read:
        // libseccomp puts a socket or SysV IPC rule on the multiplexed call by operation alone, so
        // its argument conditions do not hold there (socketcall(SYS_SOCKET) takes the rule's action
        // for every socket family).
        var multiplexed = architectures.Where(a => ArchitectureInfo.Get(a).Multiplexed.Count > 0).ToList();
        if (multiplexed.Count > 0)
        {
            var conditional = decisions.Where(d => d.Conditions.Length > 0 && MultiplexedCalls.Contains(d.Name)).Select(d => d.Name).Distinct().ToList();
            if (conditional.Count > 0)
                warnings.Add($"On {string.Join(" and ", multiplexed)} socket and SysV IPC calls can also come through socketcall or ipc, whose arguments are in memory: libseccomp applies the rules for {string.Join(", ", conditional)} there by operation alone, without their argument conditions.");
        }
        if (filter.DefaultAction.Kind == SeccompActionKind.Allow && decisions.Count == 0)
            warnings.Add("The filter allows everything: the default is Allow and no rule does anything else.");
        return warnings;
    }

    /// <summary>
    /// libseccomp 2.5 converts the return value of a shared action block to the target's byte order
    /// twice when it builds a big-endian program on a little-endian host (seen with Docker's profile
    /// for s390x: returns of the first ABI's section read 0x01000500 for Errno(1)), so those returns
    /// would be garbage on the target. Every return of the program is one of the filter's actions: a
    /// return that is not, but whose byte-swapped value is, is swapped back. The tests hold the result
    /// to libseccomp's own simulator.
    /// </summary>
    private static void RepairReturns(byte[] program, SeccompFilter filter, List<Decision> decisions)
    {
        var actions = decisions.Select(d => d.Action.ToKernelValue())
            .Append(filter.DefaultAction.ToKernelValue()).Append(filter.BadArchitectureAction.ToKernelValue()).ToHashSet();
        for (int at = 0; at + 8 <= program.Length; at += 8)
        {
            Span<byte> instruction = program.AsSpan(at, 8);
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(instruction) != (BpfInterpreter.Ret | BpfInterpreter.SrcK))
                continue;
            uint k = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(instruction[4..]);
            uint swapped = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(k);
            if (!actions.Contains(k) && actions.Contains(swapped))
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(instruction[4..], swapped);
        }
    }

    /// <summary>The calls socketcall(2) and ipc(2) multiplex.</summary>
    private static readonly HashSet<string> MultiplexedCalls = new(StringComparer.Ordinal)
    {
        "socket", "bind", "connect", "listen", "accept", "accept4", "getsockname", "getpeername", "socketpair", "send", "recv",
        "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg", "recvmmsg", "sendmmsg",
        "semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl",
    };

    private static SeccompContext NewContext(SeccompFilter filter)
    {
        var ctx = new SeccompContext(filter.DefaultAction.ToKernelValue());
        ctx.SetAttribute(LibSeccomp.AttrBadArchAction, filter.BadArchitectureAction.ToKernelValue());
        // The program is exported, not loaded by libseccomp: no_new_privs is the launcher's business.
        ctx.SetAttribute(LibSeccomp.AttrNoNewPrivs, 0);
        if (filter.BinaryTree)
            ctx.SetAttribute(LibSeccomp.AttrOptimize, 2);
        return ctx;
    }

    private static void Check(int rc, Decision d)
    {
        // EDOM: a pseudo number for a call this context's ABIs do not have, nothing to add.
        if (rc >= 0 || rc == -33)
            return;
        string why = -rc switch
        {
            22 => "libseccomp refused the comparison (libseccomp 2.5 cannot test one argument twice in a rule, nor a 64-bit value on a 32-bit ABI)",
            17 => "it conflicts with another rule",
            _ => Libc.ErrorText(-rc),
        };
        string conditions = d.Conditions.Length == 0 ? "" : " if " + string.Join(" && ", d.Conditions.Select(c => c.ToString()));
        throw new SeccompException("InvalidRule", $"The rule '{d.Action}: {d.Name}{conditions}' cannot be compiled: {why}.", d.Name);
    }

    private static LibSeccomp.ArgCmp ToArgCmp(SeccompCondition c)
    {
        // libseccomp's MASKED_EQ takes the mask as datum_a and the value as datum_b.
        return c.Operator switch
        {
            SeccompOperator.MaskedEqual => new LibSeccomp.ArgCmp { Arg = (uint)c.Index, Op = LibSeccomp.CmpMaskedEq, DatumA = c.Mask, DatumB = c.Value },
            _ => new LibSeccomp.ArgCmp
            {
                Arg = (uint)c.Index,
                Op = c.Operator switch
                {
                    SeccompOperator.Equal => LibSeccomp.CmpEq,
                    SeccompOperator.NotEqual => LibSeccomp.CmpNe,
                    SeccompOperator.Less => LibSeccomp.CmpLt,
                    SeccompOperator.LessOrEqual => LibSeccomp.CmpLe,
                    SeccompOperator.Greater => LibSeccomp.CmpGt,
                    _ => LibSeccomp.CmpGe,
                },
                DatumA = c.Value,
            },
        };
    }

    /// <summary>Expands groups, validates names and conditions, and applies the precedence rules:
    /// one ordered list of (syscall, action, conditions) decisions.</summary>
    private static List<Decision> Reduce(SeccompFilter filter, SortedSet<string> unsupported)
    {
        var order = new List<string>();
        var bySyscall = new Dictionary<string, List<Decision>>(StringComparer.Ordinal);
        foreach (SeccompRule rule in filter.Rules)
        {
            if (rule.Action is null)
                throw new SeccompException("InvalidRule", $"The rule for {string.Join(",", rule.Names)} has no action.");
            var conditions = (rule.Conditions ?? new()).ToArray();
            ValidateConditions(rule, conditions);
            foreach (string name in ExpandNames(rule.Names, filter.IgnoreUnknownSyscalls, unsupported))
            {
                if (!bySyscall.TryGetValue(name, out var list))
                {
                    bySyscall[name] = list = new List<Decision>();
                    order.Add(name);
                }
                list.Add(new Decision(name, rule.Action, conditions));
            }
        }

        var result = new List<Decision>();
        foreach (string name in order)
        {
            var list = bySyscall[name];
            int unconditional = list.FindLastIndex(d => d.Conditions.Length == 0);
            if (unconditional >= 0)
            {
                if (list[unconditional].Action != filter.DefaultAction)
                    result.Add(list[unconditional]);
                continue;
            }
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var kept = new List<Decision>();
            foreach (Decision d in list)
            {
                string key = string.Join("&&", d.Conditions.OrderBy(c => c.Index).Select(c => c.ToString()));
                if (seen.TryGetValue(key, out int at))
                    kept[at] = d;
                else
                {
                    seen[key] = kept.Count;
                    kept.Add(d);
                }
            }
            result.AddRange(kept.Where(d => d.Action != filter.DefaultAction));
        }
        return result;
    }

    private static void ValidateConditions(SeccompRule rule, SeccompCondition[] conditions)
    {
        if (conditions.Length > 6)
            throw new SeccompException("InvalidRule", $"The rule '{rule}' has {conditions.Length} conditions; a syscall has 6 arguments and libseccomp compares each at most once per rule.");
        var indexes = new HashSet<int>();
        foreach (SeccompCondition c in conditions)
        {
            if (c is null)
                throw new SeccompException("InvalidRule", $"The rule '{rule}' has an empty condition.");
            if (c.Index < 0 || c.Index > SeccompCondition.MaxIndex)
                throw new SeccompException("ArgumentIndexOutOfRange", $"The rule '{rule}' tests argument {c.Index}; a syscall has arguments 0 to {SeccompCondition.MaxIndex}.", c.Index);
            if (!indexes.Add(c.Index))
                throw new SeccompException("InvalidRule", $"The rule '{rule}' tests arg{c.Index} twice. libseccomp 2.5 compares each argument at most once per rule: split it into two rules (for a range, allow one bound and deny the other).", rule);
        }
    }

    /// <summary>Syscall names with groups expanded, each validated.</summary>
    internal static IEnumerable<string> ExpandNames(IEnumerable<string> names, bool ignoreUnknown, ISet<string>? skipped)
    {
        foreach (string raw in names)
        {
            string name = raw?.Trim() ?? "";
            if (name.Length == 0)
                continue;
            if (SyscallGroups.IsGroupName(name))
            {
                foreach (string member in SyscallGroups.Expand(name))
                    yield return member;
                continue;
            }
            if (IsKnown(name))
            {
                yield return name;
            }
            else if (ignoreUnknown)
            {
                skipped?.Add(name);
            }
            else
            {
                throw UnknownSyscall(name);
            }
        }
    }

    /// <summary>A name some ABI's table, or libseccomp's tables for any architecture, know.</summary>
    internal static bool IsKnown(string name)
        => SyscallNameMatcher.IsKnownSyscall(name) || (LibSeccomp.IsAvailable && SeccompContext.ResolveName(LibSeccomp.ArchNative, name) is not null);

    internal static SeccompException UnknownSyscall(string name)
        => new("UnknownSyscall", $"No syscall named '{name}'.{SyscallNameMatcher.DidYouMean(name)}", name);
}
