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
    private static readonly FrozenDictionary<string, Func<CodecSite, ArgCodec>> Factories = new Dictionary<string, Func<CodecSite, ArgCodec>>
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
        ["gids<"] = s => new IdArrayCodec(Direction.In, s.Position - 1),
        ["gids>"] = _ => new IdArrayCodec(Direction.Out, -1),
        ["cpuset<"] = s => new CpuSetCodec(Direction.In, s.Position - 1),
        ["cpuset>"] = _ => new CpuSetCodec(Direction.Out, -1),
        ["timevals<"] = _ => new TimePairCodec(nanoseconds: false),
        ["timespecs<"] = _ => new TimePairCodec(nanoseconds: true),
        ["siginfo<"] = _ => new SiginfoCodec(Direction.In),
        ["siginfo>"] = _ => new SiginfoCodec(Direction.Out),
        ["stack<"] = _ => new SignalStackCodec(Direction.In),
        ["stack>"] = _ => new SignalStackCodec(Direction.Out),
        ["msgbuf<"] = s => new MessageBufferCodec(Direction.In, s.Position + 1),
        ["msgbuf>"] = s => new MessageBufferCodec(Direction.Out, s.Position + 1),
        ["sembuf<"] = s => new SemaphoreOpsCodec(s.Position + 1),
        ["mqattr<"] = _ => new MqAttrCodec(Direction.In),
        ["mqattr>"] = _ => new MqAttrCodec(Direction.Out),
        ["riov<"] = s => new RemoteIovecCodec(s.Position + 1),
        ["shmid_ds"] = _ => new ShmidDsCodec(),
        ["path>"] = _ => new PathOutCodec(),
        ["ts<"] = _ => new TimeCodec(Direction.In, timeval: false),
        ["ts>"] = _ => new TimeCodec(Direction.Out, timeval: false),
        ["tv<"] = _ => new TimeCodec(Direction.In, timeval: true),
        ["tv>"] = _ => new TimeCodec(Direction.Out, timeval: true),
        ["tsrem>"] = _ => new RemainingTimeCodec(),
        ["itimerspec<"] = _ => new ItimerCodec(Direction.In, timeval: false),
        ["itimerspec>"] = _ => new ItimerCodec(Direction.Out, timeval: false),
        ["itimerval<"] = _ => new ItimerCodec(Direction.In, timeval: true),
        ["itimerval>"] = _ => new ItimerCodec(Direction.Out, timeval: true),
        ["rlim<"] = _ => new RlimitCodec(Direction.In),
        ["rlim>"] = _ => new RlimitCodec(Direction.Out),
        ["sigset<"] = s => new SigsetCodec(Direction.In, s.Find("sssz")),
        ["sigset>"] = s => new SigsetCodec(Direction.Out, s.Find("sssz")),
        ["sigaction<"] = _ => new SigactionCodec(Direction.In),
        ["sigaction>"] = _ => new SigactionCodec(Direction.Out),
        ["sigevent<"] = _ => new SigeventCodec(),
        ["wstatus>"] = _ => new WaitStatusCodec(),
        ["stat>"] = _ => new StatCodec(),
        ["statx>"] = _ => new StatxCodec(),
        ["statfs>"] = _ => new StatfsCodec(),
        ["utsname>"] = _ => new UtsnameCodec(),
        ["sysinfo>"] = _ => new SysinfoCodec(),
        ["rusage>"] = _ => new RusageCodec(),
        ["tms>"] = _ => new TmsCodec(),
        ["schedattr<"] = _ => new SchedAttrCodec(Direction.In, -1),
        ["schedattr>"] = s => new SchedAttrCodec(Direction.Out, s.Position + 1),
        ["personality"] = _ => new PersonalityCodec(),
        ["ioprio"] = _ => new IoprioCodec(),
        ["ioprio_who"] = _ => new EnumCodec(IoprioWho, "IOPRIO_WHO_???", hexUnknown: false),
        ["caphdr<"] = _ => new CapHeaderCodec(),
        ["capdata<"] = _ => new CapDataCodec(Direction.In),
        ["capdata>"] = _ => new CapDataCodec(Direction.Out),
        ["nodemask<"] = s => new NodeMaskCodec(Direction.In, s.Position + 1),
        ["nodemask>"] = s => new NodeMaskCodec(Direction.Out, s.Position + 1),
        ["mpol>"] = _ => new PointedIntCodec(Direction.Out, CType.Int, MempolicyModes, "MPOL_???"),
        ["getmpolflags"] = _ => new FlagsCodec(GetMempolicyFlags, "MPOL_F_???"),
        ["mbindflags"] = _ => new FlagsCodec(MbindFlags, "MPOL_MF_???"),
        ["mincorevec>"] = s => new ResidencyVectorCodec(s.Position - 1),
        ["loff<"] = _ => new PointedLongCodec(Direction.In, hex: false),
        ["aioctx>"] = _ => new PointedLongCodec(Direction.Out, hex: true),
        ["splicef"] = _ => new FlagsCodec(SpliceFlags, "SPLICE_F_???"),
        ["sfdflags"] = _ => new FlagsCodec(SignalfdFlags, "SFD_???"),
        ["mlock2f"] = _ => new FlagsCodec(Mlock2Flags, "MLOCK_???"),
        ["openhow<"] = _ => new OpenHowCodec(),
        ["seccompop"] = _ => new EnumCodec(SeccompOps, "SECCOMP_???", hexUnknown: false),
        ["llcreatef"] = _ => new LandlockCreateFlagsCodec(),
        ["date"] = _ => new EpochDateCodec(),
        ["seccompflags"] = _ => new FlagsCodec(FlagTables.SeccompFilterFlags, "SECCOMP_FILTER_FLAG_???"),
        ["seccomparg"] = _ => new SeccompArgumentCodec(),
        ["mbcmd"] = _ => new EnumCodec(MembarrierCommands, "MEMBARRIER_CMD_???"),
        ["mbflags"] = _ => new FlagsCodec(MembarrierFlags, "MEMBARRIER_CMD_FLAG_???"),
        ["mbcpu"] = _ => new ShownWithFlagCodec(1),
        ["mbquery"] = _ => new MembarrierQueryCodec(),
        ["syslogaction"] = _ => new SyslogActionCodec(),
        ["syslogbuf>"] = _ => new SyslogBufferCodec(),
        ["sysloglen"] = _ => new SyslogLengthCodec(),
        ["timex"] = _ => new TimexCodec(),
        ["clockstate"] = _ => new EnumCodec(ClockStates, "TIME_???"),
        ["key"] = _ => new KeySerialCodec(),
        ["keyctlcmd"] = _ => new EnumCodec(KeyctlCommands, "KEYCTL_???"),
        ["keyctlarg"] = _ => new KeyctlArgumentCodec(),
        ["faninitflags"] = _ => new FanotifyInitFlagsCodec(),
        ["fanmarkflags"] = _ => new FlagsCodec(FanotifyMarkFlags, "FAN_MARK_???"),
        ["fanevents"] = _ => new FlagsCodec(FanotifyEvents, "FAN_???"),
        ["fsopenflags"] = _ => new FlagsCodec(FsopenFlags, "FSOPEN_???"),
        ["fsconfigcmd"] = _ => new EnumCodec(FsconfigCommands, "FSCONFIG_???"),
        ["fsconfigvalue"] = _ => new FsconfigValueCodec(),
        ["fsmountflags"] = _ => new FlagsCodec(FsmountFlags, "FSMOUNT_???"),
        ["mountattrflags"] = _ => new FlagsCodec(MountAttrFlags, "MOUNT_ATTR_???"),
        ["mountattr<"] = s => new MountAttrCodec(s.Position + 1),
        ["fspickflags"] = _ => new FlagsCodec(FspickFlags, "FSPICK_???"),
        ["opentreeflags"] = _ => new FlagsCodec(OpenTreeFlags, "OPEN_TREE_???"),
        ["movemountflags"] = _ => new FlagsCodec(MoveMountFlags, "MOVE_MOUNT_???"),
        ["llrulesetattr<"] = s => new LandlockRulesetAttrCodec(s.Position + 1),
        ["llruletype"] = _ => new EnumCodec(LandlockRuleTypes, "LANDLOCK_RULE_???"),
        ["llruleattr<"] = _ => new LandlockRuleAttrCodec(),
        ["utimbuf<"] = _ => new UtimbufCodec(),
        ["ptracereq"] = _ => new EnumCodec(PtraceRequests, "PTRACE_???"),
        ["ptracearg"] = _ => new PtraceArgumentCodec(),
        ["swapflags"] = _ => new FlagsCodec(SwapFlags, "SWAP_FLAG_???"),
        ["modinitflags"] = _ => new FlagsCodec(ModuleInitFlags, "MODULE_INIT_???"),
        ["long>"] = _ => new PointedLongCodec(Direction.Out, hex: false),
        ["ptr>"] = _ => new PointedLongCodec(Direction.Out, hex: true),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The codec a signature token names, for the argument at <paramref name="position"/>
    /// of a signature with these tokens.</summary>
    public static ArgCodec? Create(string token, int position, string[] tokens)
        => Factories.TryGetValue(token, out var make) ? make(new CodecSite(position, tokens)) : null;
}

/// <summary>Where a codec sits in its signature: its position, and its siblings' tokens (a sigset
/// finds its size argument by name).</summary>
internal readonly record struct CodecSite(int Position, string[] Tokens)
{
    public int Find(string token)
    {
        int at = Array.FindIndex(Tokens, t => t.Split(':')[0] == token);
        return at >= 0 ? at : throw new InvalidOperationException($"A codec needs a '{token}' argument beside it");
    }
}
