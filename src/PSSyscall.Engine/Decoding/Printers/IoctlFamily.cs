using System.Text;
using PSSyscall.Engine.Decoding.Codecs;

namespace PSSyscall.Engine.Decoding.Printers;

/// <summary>One family of ioctl requests (fs, seccomp, ...): what it captures and how it prints the
/// third argument. IoctlPrinter prints the descriptor and the request, then asks each family.</summary>
internal abstract class IoctlFamily
{
    /// <summary>Captures, conditional on the request (argument 1), of the argument (2).</summary>
    public abstract ConditionalPlan[] Captures { get; }

    /// <summary>True when the request is this family's: then it has printed ", " and the argument,
    /// or nothing for a request that takes none.</summary>
    /// <summary>Requests whose name carries a parameter (EVIOCGNAME(len)): true when printed.</summary>
    public virtual bool TryAppendName(StringBuilder sb, ulong request) => false;

    public abstract bool TryPrintArgument(ref DecodeContext c, StringBuilder sb, ulong request);
}
