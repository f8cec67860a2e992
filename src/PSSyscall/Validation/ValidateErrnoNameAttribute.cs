using System.Management.Automation;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Validation;

/// <summary>Refuses at binding a value that is not an errno name (ENOENT, EWOULDBLOCK, any case) or a
/// number from 1 to 4095, with the closest names and the valid forms.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateErrnoNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        string text = arguments is PSObject ps ? ps.BaseObject?.ToString() ?? "" : arguments?.ToString() ?? "";
        if (ErrnoNames.TryParse(text, out _))
            return;
        string hint = Engine.Syscalls.SyscallNameMatcher.DidYouMean(text.Trim().ToUpperInvariant(), ErrnoNames.AllNames);
        throw new ValidationMetadataException(
            $"'{text}' is not an errno.{hint} Give a name such as ENOENT, ENOSPC or EACCES, or a number from 1 to {ErrnoNames.MaxErrno}.");
    }
}
