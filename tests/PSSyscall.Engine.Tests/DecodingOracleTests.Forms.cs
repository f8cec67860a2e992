using PSSyscall.Engine.Decoding;

namespace PSSyscall.Engine.Tests;

/// <summary>strace's decoding forms against strace itself: the same workloads under
/// `strace -X raw|verbose`, `-v`, `-x` and `-xx`, and under the engine with the matching
/// <see cref="DecodeOptions"/>; every decoded call must read the same.</summary>
public sealed partial class DecodingOracleTests
{
    public static TheoryData<string, string> Forms => new()
    {
        { "fileio", "-X verbose" },
        { "fileio", "-X raw" },
        { "signals", "-X verbose" },
        { "memory", "-X raw" },
        { "pollfds", "-X verbose" },
        { "cat", "-v" },
        { "ls", "-v" },
        { "fileio", "-x" },
        { "cat", "-xx" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void DecodingFormsEqualStrace(string workload, string straceOptions)
    {
        var forms = new DecodeOptions(
            straceOptions.Contains("-X verbose") ? ConstantStyle.Verbose : straceOptions.Contains("-X raw") ? ConstantStyle.Raw : ConstantStyle.Abbrev,
            straceOptions.Contains("-v"),
            straceOptions.Contains("-xx") ? HexStringStyle.All : straceOptions.Contains("-x") ? HexStringStyle.NonAscii : HexStringStyle.None);
        Assert.Equal(straceOptions, forms.ToString());
        CompareWithStrace(workload, straceOptions, forms);
    }
}
