using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// i386's multiplexed calls, shown as strace shows them: as the call they stand for. socketcall(n,
/// args) becomes the socket call n with the arguments its array holds, ipc(call, ...) the SysV IPC
/// call, and the old mmap and select (which take one pointer to their arguments) are read out of
/// their structure. The record then carries that call's number and arguments, so filters (-e
/// trace=socket), decoding and descriptor tracking all see it as the direct call. Subcalls that
/// i386 has no direct number for (accept, send, recv, semop, an old-style msgrcv...) stay as they are.
/// Tracer thread only; no allocation.
/// </summary>
internal static class I386Subcalls
{
    private static readonly int SocketCall = Number("socketcall"), Ipc = Number("ipc"), OldMmap = Number("mmap"), OldSelect = Number("select");

    // SYS_SOCKET (1) .. SYS_SENDMMSG (20): the direct call's number and its argument count.
    private static readonly (int Number, int Args)[] Socket =
    {
        (-1, 0), (Number("socket"), 3), (Number("bind"), 3), (Number("connect"), 3), (Number("listen"), 2), (-1, 3),
        (Number("getsockname"), 3), (Number("getpeername"), 3), (Number("socketpair"), 4), (-1, 4), (-1, 4),
        (Number("sendto"), 6), (Number("recvfrom"), 6), (Number("shutdown"), 2), (Number("setsockopt"), 5),
        (Number("getsockopt"), 5), (Number("sendmsg"), 3), (Number("recvmsg"), 3), (Number("accept4"), 4),
        (Number("recvmmsg"), 5), (Number("sendmmsg"), 4),
    };

    private static readonly int SemGet = Number("semget"), SemCtl = Number("semctl"), MsgSnd = Number("msgsnd"), MsgRcv = Number("msgrcv"),
        MsgGet = Number("msgget"), MsgCtl = Number("msgctl"), ShmDt = Number("shmdt"), ShmGet = Number("shmget"), ShmCtl = Number("shmctl");

    private static int Number(string name) => SyscallTable.I386.TryGetNumber(name, out int n) ? n : -1;

    /// <summary>Rewrites the tracee's current call when it is one of the multiplexers.</summary>
    public static void Rewrite(Tracee t, ArgumentCapture memory)
    {
        if (t.Number == SocketCall)
        {
            uint call = (uint)t.Arg0;
            if (call >= Socket.Length || Socket[call].Number < 0)
                return;
            Span<uint> a = stackalloc uint[6];
            if (!memory.ReadWords(t.ThreadId, (uint)t.Arg1, a[..Socket[call].Args]))
                return;
            t.Number = Socket[call].Number;
            Set(t, a[0], a[1], a[2], a[3], a[4], a[5]);
        }
        else if (t.Number == Ipc)
        {
            uint call = (uint)t.Arg0 & 0xffff, version = (uint)t.Arg0 >> 16;
            ulong first = t.Arg1, second = t.Arg2, third = t.Arg3, ptr = t.Arg4, fifth = t.Arg5;
            switch (call)
            {
                case 2: t.Number = SemGet; Set(t, first, second, third, 0, 0, 0); break;
                case 11: t.Number = MsgSnd; Set(t, first, ptr, second, third, 0, 0); break;
                case 12 when version == 1: t.Number = MsgRcv; Set(t, first, ptr, second, fifth, third, 0); break;
                case 13: t.Number = MsgGet; Set(t, first, second, 0, 0, 0, 0); break;
                case 14: t.Number = MsgCtl; Set(t, first, second, ptr, 0, 0, 0); break;
                case 22: t.Number = ShmDt; Set(t, ptr, 0, 0, 0, 0, 0); break;
                case 23: t.Number = ShmGet; Set(t, first, second, third, 0, 0, 0); break;
                case 24: t.Number = ShmCtl; Set(t, first, second, ptr, 0, 0, 0); break;
            }
        }
        else if (t.Number == OldMmap || t.Number == OldSelect)
        {
            // struct mmap_arg_struct (6 words) and struct sel_arg_struct (5 words).
            Span<uint> a = stackalloc uint[6];
            int n = t.Number == OldMmap ? 6 : 5;
            if (memory.ReadWords(t.ThreadId, (uint)t.Arg0, a[..n]))
                Set(t, a[0], a[1], a[2], a[3], a[4], a[5]);
        }
    }

    private static void Set(Tracee t, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
    {
        t.Arg0 = a0; t.Arg1 = a1; t.Arg2 = a2; t.Arg3 = a3; t.Arg4 = a4; t.Arg5 = a5;
    }
}
