using PSSyscall.Engine.Tracing;
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
    [Fact]
    public void CtlInfoAndSet()
    {
        byte[] info = new byte[30];
        for (int k = 0; k < 7; k++) BitConverter.GetBytes(k + 1).CopyTo(info, k * 4);
        BitConverter.GetBytes((ushort)65535).CopyTo(info, 28);
        Assert.Equal("msgctl(1, MSG_INFO, {msgpool=1, msgmap=2, msgmax=3, msgmnb=4, msgmni=5, msgssz=6, msgtql=7, msgseg=65535}) = 3",
            Decode("msgctl", [1, 12, 0x1000], 3, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, info)));
        byte[] perm = new byte[112];
        perm[20] = 0x80; perm[21] = 0x01; // mode 0600
        Assert.Equal("shmctl(1, IPC_SET, {shm_perm={uid=0, gid=0, mode=0600}}) = 0",
            Decode("shmctl", [1, 1, 0x1000], 0, b => b.Add(CaptureSlot.Exit(2), CaptureStatus.Ok, perm)));
    }
}
