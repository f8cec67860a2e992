using PSSyscall.Engine.Native;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// The filter behind the fast path (what strace --seccomp-bpf does): SECCOMP_RET_TRACE for the
/// selected x86_64 calls, ALLOW for the other x86_64 calls, and TRACE for every call through a
/// foreign ABI (i386 via int 0x80, x32), so those are never silently missed: the tracer names them
/// from their own tables and reports the selected ones. Compiled by the system's libseccomp.
/// </summary>
internal static class SeccompFastPath
{
    public static byte[] Build(SyscallFilter filter)
    {
        using var ctx = new SeccompContext(LibSeccomp.ActAllow);
        // Calls whose architecture is not in the filter (i386) take the bad-arch action.
        ctx.SetAttribute(LibSeccomp.AttrBadArchAction, LibSeccomp.ActTrace(0));
        foreach (var (number, _) in SyscallTable.X86_64.Entries)
        {
            if (!filter.Selects(SyscallArchitecture.X86_64, number))
                continue;
            int rc = ctx.AddRule(LibSeccomp.ActTrace(0), number, ReadOnlySpan<LibSeccomp.ArgCmp>.Empty);
            if (rc < 0 && rc != -17 /* EEXIST */ && rc != -22)
                throw new SeccompException("SeccompRule", $"libseccomp refused a trace rule for syscall {number}: {Libc.ErrorText(-rc)}.");
        }
        return ctx.ExportBpf();
    }

    /// <summary>libseccomp's rendering of the program, for tests and diagnostics.</summary>
    public static string Describe(SyscallFilter filter)
    {
        using var ctx = new SeccompContext(LibSeccomp.ActAllow);
        ctx.SetAttribute(LibSeccomp.AttrBadArchAction, LibSeccomp.ActTrace(0));
        foreach (var (number, _) in SyscallTable.X86_64.Entries)
            if (filter.Selects(SyscallArchitecture.X86_64, number))
                ctx.AddRule(LibSeccomp.ActTrace(0), number, ReadOnlySpan<LibSeccomp.ArgCmp>.Empty);
        return ctx.ExportPfc();
    }
}
