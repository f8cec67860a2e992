using static PSSyscall.Engine.Tests.DecodeGoldenTests;

namespace PSSyscall.Engine.Tests;

/// <summary>The SysV *get flags as strace 6.1 prints them (ipc_shm.c, ipc_msg.c).</summary>
public sealed class DecodeGoldenIpcGetTests
{
    [Fact]
    public void GetFlagsThenMode()
    {
        Assert.Equal("shmget(0x1, 1, IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x8000|21<<SHM_HUGE_SHIFT|0125) = 7",
            Decode("shmget", [1, 1, 0x200 | 0x400 | 0x800 | 0x1000 | 0x8000 | (21UL << 26) | 0x55], 7));
        Assert.Equal("shmget(0x1, 1, 21<<SHM_HUGE_SHIFT|000) = 7", Decode("shmget", [1, 1, 21UL << 26], 7));
        Assert.Equal("msgget(0x1, IPC_EXCL|IPC_NOWAIT|0x8000|0125) = 7", Decode("msgget", [1, 0x400 | 0x800 | 0x8000 | 0x55], 7));
    }
}
