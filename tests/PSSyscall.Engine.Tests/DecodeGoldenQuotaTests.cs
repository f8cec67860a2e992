using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>quotactl's arguments per command as strace 6.1 prints them (quotactl.c, quotactl-xfs.c).</summary>
public sealed class DecodeGoldenQuotaTests
{
    [Fact]
    public void ArgumentsPerCommand()
    {
        Assert.Equal("quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), NULL, 3397364973, NULL) = -1 EINVAL (Invalid argument)",
            Decode("quotactl", [0xbadc0ded, 0, 0xca7faced, 0], -22));
        Assert.Equal("quotactl(QCMD(Q_GETQUOTA, GRPQUOTA), NULL, -1, NULL) = -1 ENODEV (No such device)",
            Decode("quotactl", [(0x800007UL << 8) | 1, 0, 0xffffffff, 0], -19));
        Assert.Equal("quotactl(QCMD(Q_QUOTAOFF, PRJQUOTA), NULL) = -1 ENODEV (No such device)",
            Decode("quotactl", [(0x800003UL << 8) | 2, 0, 0xffffffff, 0], -19));
        Assert.Equal("quotactl(QCMD(Q_XGETQSTAT, PRJQUOTA), NULL, 0x1000) = -1 ENODEV (No such device)",
            Decode("quotactl", [(0x5805UL << 8) | 2, 0, 0xffffffff, 0x1000], -19));
    }
}
