using PSSyscall.Engine.Decoding.Codecs;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests;

/// <summary>The signature table as data: every argument has a C type, every codec argument a
/// codec, and every capture plan refers only to arguments the call has.</summary>
public sealed class SignatureTableTests
{
    [Fact]
    public void EveryDecodedArgumentHasATypeAndCodecArgumentsACodec()
    {
        var decoded = SyscallSignatures.All.Where(s => s.IsDecoded).ToList();
        Assert.True(decoded.Count > 300, $"only {decoded.Count} syscalls decoded");
        foreach (SyscallSignature s in decoded)
        {
            Assert.Equal(s.Arguments!.Length, s.Types!.Length);
            for (int i = 0; i < s.Arguments.Length; i++)
            {
                if (s.Arguments[i] == ArgKind.Codec)
                    Assert.True(s.Codecs?[i] is not null, $"{s.Name}: argument {i} has no codec");
            }
        }
    }

    [Fact]
    public void CapturePlansReferOnlyToTheCallsArguments()
    {
        int plans = 0;
        foreach (SyscallSignature s in SyscallSignatures.All.Where(s => s.Codecs is not null))
        {
            for (int i = 0; i < s.Codecs!.Length; i++)
            foreach (CapturePlan p in new[] { s.Codecs[i]!.EntryPlan, s.Codecs[i]!.ExitPlan })
            {
                if (p.When == CaptureWhen.Never)
                    continue;
                plans++;
                if (p.Length is CaptureLength.ArgumentCount or CaptureLength.ArgumentPointee || p.Shape is CaptureShape.Iovec or CaptureShape.CloneParentTid)
                    Assert.True(p.Argument >= 0 && p.Argument < s.Arguments!.Length && p.Argument != i, $"{s.Name}: argument {i}'s plan counts by argument {p.Argument}");
                // However large the registers say, a plan never copies more than its bound.
                ulong[] huge = Enumerable.Repeat(ulong.MaxValue >> 1, 6).ToArray();
                Assert.InRange(p.LengthFor(huge, long.MaxValue >> 1, 1 << 20), 0, p.Max > 0 ? p.Max : CapturePlan.DefaultMax);
            }
        }
        Assert.True(plans > 50, $"only {plans} capture plans");
    }

    [Fact]
    public void ThirtyTwoBitArgumentsDropTheHighHalf()
    {
        SyscallSignature mkdir = SyscallSignatures.Get("mkdir")!;
        Span<ulong> args = [0x1234, 0xdefaced000001ffUL, 0, 0, 0, 0];
        mkdir.Normalize(args);
        Assert.Equal(0x1234UL, args[0]);   // a pointer keeps all 64 bits
        Assert.Equal(0x1ffUL, args[1]);    // mode_t keeps 32
        Assert.Equal(CType.UInt, mkdir.ArgumentTypes![1]);
    }
}
