using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests.Seccomp;

public class SeccompModelTests
{
    [Theory]
    [InlineData("Allow", "Allow")]
    [InlineData("errno", "Errno(1)")]
    [InlineData("Errno(EACCES)", "Errno(13)")]
    [InlineData("ERRNO(38)", "Errno(38)")]
    [InlineData("SCMP_ACT_KILL_PROCESS", "KillProcess")]
    [InlineData("kill", "KillProcess")]
    [InlineData("Kill_Thread", "KillThread")]
    [InlineData("Trace(65535)", "Trace(65535)")]
    [InlineData("UserNotif", "Notify")]
    public void ParsesActions(string text, string expected)
    {
        Assert.True(SeccompAction.TryParse(text, out SeccompAction action));
        Assert.Equal(expected, action.ToString());
        Assert.Equal(action, SeccompAction.FromKernelValue(action.ToKernelValue()));
    }

    [Theory]
    [InlineData("Alow")]
    [InlineData("Errno(EFOO)")]
    [InlineData("Trace(70000)")]
    [InlineData("Allow(3)")]
    public void RejectsBadActions(string text) => Assert.False(SeccompAction.TryParse(text, out _));

    [Theory]
    [InlineData("arg0 == 2", 2UL, true)]
    [InlineData("arg0 == -1", ulong.MaxValue, true)]
    [InlineData("arg0 == 0xffffffff", ulong.MaxValue, false)]
    [InlineData("arg3 <= 0x1_0000_0000", 0x100000000UL, true)]
    [InlineData("arg1 & 0xff00 == 0x1000", 0x12_10ffUL, true)]
    [InlineData("argument2 != 7", 7UL, false)]
    public void ParsesConditionsThatRoundTrip(string text, ulong argument, bool matches)
    {
        SeccompCondition c = SeccompCondition.Parse(text);
        Assert.Equal(matches, c.Matches(argument));
        Assert.Equal(c, SeccompCondition.Parse(c.ToString()));
    }

    [Theory]
    [InlineData("arg6 == 1", "ArgumentIndexOutOfRange")]
    [InlineData("arg0 ~ 1", "InvalidCondition")]
    [InlineData("arg0 & 1 > 0", "InvalidCondition")]
    [InlineData("arg0 == 0x1_0000_0000_0000_0000", "InvalidCondition")]
    public void RejectsBadConditions(string text, string id)
        => Assert.Equal(id, Assert.Throws<SeccompException>(() => SeccompCondition.Parse(text)).ErrorId);

    [Theory]
    [InlineData("opnat", "openat")]
    [InlineData("getdents46", "getdents64")]
    [InlineData("clsoe", "close")]
    [InlineData("EPREM", "EPERM")]
    public void SuggestsTheClosestName(string typo, string expected)
    {
        var candidates = typo.StartsWith('E') ? Decoding.ErrnoNames.AllNames : null;
        Assert.Equal(expected, SyscallNameMatcher.Closest(typo, candidates));
    }

    [Fact]
    public void SuggestsNothingForNonsense() => Assert.Empty(SyscallNameMatcher.Suggest("zzzzzzzzqqq"));

    [Fact]
    public void CopiesAreIndependent()
    {
        var filter = new SeccompFilter { DefaultAction = SeccompAction.Errno(1), Rules = { new SeccompRule(new[] { "read" }, SeccompAction.Allow, new[] { SeccompCondition.Parse("arg0 == 0") }) } };
        SeccompFilter copy = filter.Copy();
        copy.Rules[0].Names.Add("write");
        copy.Rules[0].Conditions[0].Value = 5;
        copy.Rules.Add(new SeccompRule(new[] { "close" }, SeccompAction.Notify));
        copy.Architectures.Add(SyscallArchitecture.I386);
        Assert.Single(filter.Rules);
        Assert.Equal(new[] { "read" }, filter.Rules[0].Names);
        Assert.Equal(0UL, filter.Rules[0].Conditions[0].Value);
        Assert.Single(filter.Architectures);
        Assert.True(copy.Compile().UsesNotify);
        Assert.Equal(8u, copy.Compile().InstallFlags & 8);
        Assert.False(filter.Compile().UsesNotify);
    }

    [Fact]
    public void GroupsExpandNestedGroups()
    {
        var privileged = SyscallGroups.Expand("@privileged");
        Assert.Contains("fchownat", privileged);   // from @chown
        Assert.Contains("reboot", privileged);     // from @reboot
        Assert.DoesNotContain(privileged, n => n.StartsWith('@'));
        Assert.True(SyscallGroups.Expand("@system-service").Count > 300);
        Assert.Equal("UnknownGroup", Assert.Throws<SeccompException>(() => SyscallGroups.Expand("@nope")).ErrorId);
    }

    [Fact]
    public void WarnsWhenA64BitConditionMeetsA32BitAbi()
    {
        var filter = new SeccompFilter
        {
            Architectures = { SyscallArchitecture.I386 },
            Rules = { new SeccompRule(new[] { "mmap" }, SeccompAction.Errno(1), new[] { SeccompCondition.Parse("arg0 == 0x100000000") }) },
        };
        Assert.Contains(filter.Compile().Warnings, w => w.Contains("low 32 bits") && w.Contains("mmap"));
    }
}
