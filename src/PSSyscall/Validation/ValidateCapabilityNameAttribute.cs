using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Validation;

/// <summary>Refuses at binding a value that is not a Linux capability name (CAP_SYS_ADMIN, sys_admin)
/// or ALL, naming the valid forms.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateCapabilityNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string name = element is PSObject ps ? ps.BaseObject?.ToString() ?? "" : element?.ToString() ?? "";
        if (LinuxCapabilities.IsKnown(name))
            return;
        string hint = Engine.Syscalls.SyscallNameMatcher.DidYouMean(
            name.Trim().ToUpperInvariant().StartsWith("CAP_", StringComparison.Ordinal) ? name.Trim().ToUpperInvariant() : "CAP_" + name.Trim().ToUpperInvariant(),
            LinuxCapabilities.Names);
        throw new ValidationMetadataException(
            $"'{name}' is not a Linux capability.{hint} Give a name such as CAP_SYS_ADMIN or SYS_ADMIN (any case), or ALL; see capabilities(7).");
    }
}
