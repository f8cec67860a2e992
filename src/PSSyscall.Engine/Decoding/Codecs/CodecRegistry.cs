using System.Collections.Frozen;
using PSSyscall.Engine.Syscalls;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// The codecs by the names the signature table uses (SyscallSignatures.Data.cs). Each entry makes
/// the codec for an argument at position i (counted codecs name their count argument relative to
/// it). Adding a flag set is a table (FlagTables.*.cs) and one line here.
/// </summary>
internal static class CodecRegistry
{
    private static readonly FrozenDictionary<string, Func<int, ArgCodec>> Factories = new Dictionary<string, Func<int, ArgCodec>>
    {
        // numbers, flags and enums
        ["dec"] = _ => new DecimalCodec(),
        ["inflags"] = _ => new FlagsCodec(InotifyInitFlags, "IN_???"),
        ["inmask"] = _ => new FlagsCodec(InotifyMask, "IN_???"),
        ["rwf"] = _ => new FlagsCodec(RwfFlags, "RWF_???"),
        ["fallocmode"] = _ => new FlagsCodec(FallocateModes, "FALLOC_FL_???"),
        ["sfrflags"] = _ => new FlagsCodec(SyncFileRangeFlags, "SYNC_FILE_RANGE_???"),
        ["mknodmode"] = _ => new FileModeCodec(),
        ["dev"] = _ => new DeviceCodec(),
        ["schedpolicy"] = _ => new EnumCodec(SchedPolicies, "SCHED_???", hexUnknown: false),
        ["priowhich"] = _ => new EnumCodec(PriorityWhich, "PRIO_???", hexUnknown: false),
        ["idtype"] = _ => new EnumCodec(IdTypes, "P_???", hexUnknown: false),
        ["mlockall"] = _ => new FlagsCodec(MlockallFlags, "MCL_???"),
        ["mpolmode"] = _ => new EnumCodec(MempolicyModes, "MPOL_???"),
        ["kcmptype"] = _ => new EnumCodec(KcmpTypes, "KCMP_???"),
        ["pkeyaccess"] = _ => new FlagsCodec(PkeyAccess, "PKEY_???"),
        ["pidfdflags"] = _ => new FlagsCodec(PidfdFlags, "PIDFD_???"),
        ["uffdflags"] = _ => new FlagsCodec(UserfaultfdFlags, "UFFD_???"),
        ["ipckey"] = _ => new IpcKeyCodec(),
        ["ipcget"] = _ => new FlagsAndModeCodec(IpcGetFlags, "IPC_???"),
        ["msgflg"] = _ => new FlagsCodec(MsgFlagsIpc, "MSG_???"),
        ["shmatflg"] = _ => new FlagsCodec(ShmatFlags, "SHM_???"),
        ["shmcmd"] = _ => new EnumCodec(ShmCommands, "SHM_???"),
        ["msgcmd"] = _ => new EnumCodec(MsgCommands, "MSG_???"),
        ["semcmd"] = _ => new EnumCodec(SemCommands, "SEM_???"),
        // memory the call reads (<) or writes (>)
        ["uid>"] = _ => new PointedIntCodec(Direction.Out, CType.Uid),
        ["int<"] = _ => new PointedIntCodec(Direction.In, CType.Int),
        ["int>"] = _ => new PointedIntCodec(Direction.Out, CType.Int),
        ["uint>"] = _ => new PointedIntCodec(Direction.Out, CType.UInt),
        ["gids<"] = i => new IdArrayCodec(Direction.In, i - 1),
        ["gids>"] = _ => new IdArrayCodec(Direction.Out, -1),
        ["cpuset<"] = i => new CpuSetCodec(Direction.In, i - 1),
        ["cpuset>"] = _ => new CpuSetCodec(Direction.Out, -1),
        ["timevals<"] = _ => new TimePairCodec(nanoseconds: false),
        ["timespecs<"] = _ => new TimePairCodec(nanoseconds: true),
        ["siginfo<"] = _ => new SiginfoCodec(Direction.In),
        ["siginfo>"] = _ => new SiginfoCodec(Direction.Out),
        ["stack<"] = _ => new SignalStackCodec(Direction.In),
        ["stack>"] = _ => new SignalStackCodec(Direction.Out),
        ["msgbuf<"] = i => new MessageBufferCodec(Direction.In, i + 1),
        ["msgbuf>"] = i => new MessageBufferCodec(Direction.Out, i + 1),
        ["sembuf<"] = i => new SemaphoreOpsCodec(i + 1),
        ["mqattr<"] = _ => new MqAttrCodec(Direction.In),
        ["mqattr>"] = _ => new MqAttrCodec(Direction.Out),
        ["riov<"] = i => new RemoteIovecCodec(i + 1),
        ["path>"] = _ => new PathOutCodec(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The codec a signature token names, for the argument at <paramref name="position"/>.</summary>
    public static ArgCodec? Create(string token, int position)
        => Factories.TryGetValue(token, out var make) ? make(position) : null;
}
