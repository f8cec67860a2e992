using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// The sandbox's own seccomp rules, which hold whatever the user's policy says. The kernel runs
/// every filter and takes the most restrictive action, and these return ERRNO directly (not a
/// notification), so a policy cannot loosen them and the command cannot hide from them:
/// <list type="bullet">
/// <item>With a policy: no further filters (seccomp(SECCOMP_SET_MODE_FILTER),
/// prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER)). A filter of the command's own that returned
/// ERRNO, TRAP or USER_NOTIF would take precedence over the sandbox's notification, so a
/// violation would go unreported and a kill would not happen. Strict mode stays allowed.</item>
/// <item>When a policy stops anything or the network is cut: no io_uring, whose operations
/// (openat, mkdirat, connect, socket...) never pass through seccomp.</item>
/// <item>With the network cut: socket() only for the families that a network namespace confines
/// (AF_INET, AF_INET6, AF_NETLINK, AF_PACKET); unix sockets (pathname and abstract), vsock and
/// the rest reach beyond it. socketpair stays allowed.</item>
/// </list>
/// Compiled by libseccomp like every other filter; integer arguments are compared on their low
/// 32 bits, as the kernel reads them.
/// </summary>
internal static class SandboxRules
{
    public const int EPERM = 1, EACCES = 13;
    private const ulong Low32 = 0xffffffff;
    private static readonly Dictionary<int, byte[]?> Cache = new();

    public static byte[]? Program(bool denyNestedFilters, bool denyIoUring, bool denyForeignSockets)
    {
        int key = (denyNestedFilters ? 1 : 0) | (denyIoUring ? 2 : 0) | (denyForeignSockets ? 4 : 0);
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out byte[]? program))
                Cache[key] = program = key == 0 ? null : Filter(denyNestedFilters, denyIoUring, denyForeignSockets).Compile().Program;
            return program;
        }
    }

    internal static SeccompFilter Filter(bool denyNestedFilters, bool denyIoUring, bool denyForeignSockets)
    {
        var filter = new SeccompFilter
        {
            DefaultAction = SeccompAction.Allow,
            Architectures = [SyscallArchitecture.X86_64, SyscallArchitecture.I386, SyscallArchitecture.X32],
        };
        SeccompCondition Low(int index, ulong value) => new(index, SeccompOperator.MaskedEqual, value, Low32);
        if (denyNestedFilters)
        {
            filter.Rules.Add(new SeccompRule(["seccomp"], SeccompAction.Errno(EPERM), [Low(0, 1 /* SECCOMP_SET_MODE_FILTER */)]));
            filter.Rules.Add(new SeccompRule(["prctl"], SeccompAction.Errno(EPERM),
                [Low(0, 22 /* PR_SET_SECCOMP */), new SeccompCondition(1, SeccompOperator.Equal, 2 /* SECCOMP_MODE_FILTER */)]));
        }
        if (denyIoUring)
            filter.Rules.Add(new SeccompRule(["io_uring_setup", "io_uring_enter", "io_uring_register"], SeccompAction.Errno(EPERM)));
        if (denyForeignSockets)
        {
            // Allowed: AF_INET 2, AF_INET6 10, AF_NETLINK 16, AF_PACKET 17. Denied: every other
            // value below 32, and any value with a bit from 5 to 31 set.
            int[] allowed = [2, 10, 16, 17];
            for (int family = 0; family < 32; family++)
            {
                if (!allowed.Contains(family))
                    filter.Rules.Add(new SeccompRule(["socket"], SeccompAction.Errno(EACCES), [Low(0, (ulong)family)]));
            }
            for (int bit = 5; bit < 32; bit++)
                filter.Rules.Add(new SeccompRule(["socket"], SeccompAction.Errno(EACCES), [new SeccompCondition(0, SeccompOperator.MaskedEqual, 1UL << bit, 1UL << bit)]));
        }
        return filter;
    }
}
