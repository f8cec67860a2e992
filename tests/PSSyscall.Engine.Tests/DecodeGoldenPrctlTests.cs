using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>prctl as strace 6.1 prints each option (expected text from strace's prctl-*.c tests).</summary>
public sealed class DecodeGoldenPrctlTests
{
    [Fact]
    public void OptionsReadTheirArguments()
    {
        Assert.Equal("prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 1234, 0x1 /* PIDTYPE_TGID */, [0xdeadc0debadc0ded]) = 0",
            Decode("prctl", [62, 0xffffffff00000000, 1234, 1, 0x1000], 0,
                b => b.Add(CaptureSlot.Exit(4), CaptureStatus.Ok, BitConverter.GetBytes(0xdeadc0debadc0dedUL))));
        Assert.Equal("prctl(PR_SCHED_CORE, 0x4 /* PR_SCHED_CORE_??? */, -1, 0x4 /* PIDTYPE_??? */, NULL) = -1 EINVAL (Invalid argument)",
            Decode("prctl", [62, 4, 0xffffffff, 4, 0], -22));
        Assert.Equal("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0xff /* CAP_??? */, 0, 0) = -1 EINVAL (Invalid argument)",
            Decode("prctl", [47, 2, 0xff, 0, 0], -22));
        Assert.Equal("prctl(PR_SME_SET_VL, PR_SME_SET_VL_ONEXEC|PR_SME_VL_INHERIT|0xbad00000|0xfeed) = -1 EINVAL (Invalid argument)",
            Decode("prctl", [63, 0xbad6feed], -22));
        Assert.Equal("prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC|0x1<<PR_MTE_TAG_SHIFT, 0x1, 0x2, 0x3) = -1 EINVAL (Invalid argument)",
            Decode("prctl", [55, 1 | 4 | 8, 1, 2, 3], -22));
        Assert.Equal("prctl(PR_PAC_SET_ENABLED_KEYS, 0, PR_PAC_APIBKEY|PR_PAC_APDAKEY|PR_PAC_APDBKEY|0x10, 0, 0x1) = -1 EINVAL (Invalid argument)",
            Decode("prctl", [60, 0, 0x1e, 0, 1], -22));
        Assert.Equal("prctl(PR_GET_TSC, [PR_TSC_SIGSEGV]) = 0",
            Decode("prctl", [25, 0x1000], 0, b => b.Add(CaptureSlot.Exit(1), CaptureStatus.Ok, BitConverter.GetBytes(2))));
        Assert.Equal("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 5, \"\") = -1 EINVAL (Invalid argument)",
            Decode("prctl", [0x53564d41, 0, 0x1000, 5, 0x2000], -22, b => b.Add(CaptureSlot.Entry(4), CaptureStatus.Ok, ""u8)));
        Assert.Equal("prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)", Decode("prctl", [3], 1));
        Assert.Equal("prctl(PR_GET_SECUREBITS) = 0x3 (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED)", Decode("prctl", [27], 3));
    }
}
