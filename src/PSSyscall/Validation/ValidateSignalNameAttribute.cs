using System.Management.Automation;
using PSSyscall.Engine.Decoding;

namespace PSSyscall.Validation;

/// <summary>Refuses at binding a value that is not a signal: SIGSEGV, SEGV, sigsegv, SIGRTMIN+3 or a
/// number from 1 to the last real-time signal, with the closest names.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSignalNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        string text = arguments is PSObject ps ? ps.BaseObject?.ToString() ?? "" : arguments?.ToString() ?? "";
        if (SignalNames.TryParse(text, out _))
            return;
        string upper = text.Trim().ToUpperInvariant();
        string hint = Engine.Syscalls.SyscallNameMatcher.DidYouMean(upper.StartsWith("SIG", StringComparison.Ordinal) ? upper : "SIG" + upper, SignalNames.AllNames);
        throw new ValidationMetadataException(
            $"'{text}' is not a signal.{hint} Give a name such as SIGSEGV, SIGTERM or SIGUSR1 (the SIG prefix is optional), or a number from 1 to {SignalNames.Max}.");
    }
}
