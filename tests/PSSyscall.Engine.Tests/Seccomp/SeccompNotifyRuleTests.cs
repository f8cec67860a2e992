using PSSyscall.Engine.Sandbox;
using PSSyscall.Engine.Seccomp;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tests.Seccomp;

/// <summary>The notify answers as users write them, the rule table's matching, and the program
/// that keeps the launch's own execve from an OCI agent.</summary>
public class SeccompNotifyRuleTests
{
    [Theory]
    [InlineData("Allow", SeccompNotifyResponseKind.Continue, 0, 0L, false)]
    [InlineData("continue", SeccompNotifyResponseKind.Continue, 0, 0L, false)]
    [InlineData("Log", SeccompNotifyResponseKind.Continue, 0, 0L, true)]
    [InlineData("Deny", SeccompNotifyResponseKind.Errno, 1, 0L, false)]
    [InlineData("Deny(EACCES)", SeccompNotifyResponseKind.Errno, 13, 0L, false)]
    [InlineData("Errno(2)", SeccompNotifyResponseKind.Errno, 2, 0L, false)]
    [InlineData("EROFS", SeccompNotifyResponseKind.Errno, 30, 0L, false)]
    [InlineData("Return(-5)", SeccompNotifyResponseKind.Return, 0, -5L, false)]
    public void Answers_parse_as_written(string text, SeccompNotifyResponseKind kind, int errno, long value, bool log)
    {
        Assert.True(SeccompNotifyResponse.TryParse(text, out SeccompNotifyResponse r));
        Assert.Equal(new SeccompNotifyResponse(kind, errno, value, log), r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Maybe")]
    [InlineData("Deny(EBOGUS)")]
    [InlineData("Return(x)")]
    [InlineData("Allow(1)")]
    public void Other_text_is_no_answer(string text) => Assert.False(SeccompNotifyResponse.TryParse(text, out _));

    [Fact]
    public void The_first_matching_rule_decides_by_name_group_and_argument_pattern()
    {
        var call = new SeccompNotification { Name = "openat", Arguments = "AT_FDCWD, \"/etc/shadow\", O_RDONLY" };
        var byName = new SeccompNotifyRule { Name = new[] { "mkdir" } };
        var byGroup = new SeccompNotifyRule { Name = new[] { "@file-system" }, Arguments = "*\"/etc/*", Action = SeccompNotifyAction.Deny, ErrorNumber = "EACCES" };
        var any = new SeccompNotifyRule { Action = SeccompNotifyAction.Log };
        Assert.False(byName.Matches(call));
        Assert.True(byGroup.Matches(call));
        Assert.False(byGroup.Matches(new SeccompNotification { Name = "openat", Arguments = "AT_FDCWD, \"/tmp/x\", O_RDONLY" }));
        Assert.True(any.Matches(call));
        Assert.Equal(SeccompNotifyResponse.Errno(13), byGroup.Response);
        Assert.True(any.Response.Log);
        Assert.Equal("UnknownSyscall", Assert.Throws<SeccompException>(() => new SeccompNotifyRule { Name = new[] { "opnat" } }.Validate()).ErrorId);
        Assert.Equal("UnknownErrno", Assert.Throws<SeccompException>(() => new SeccompNotifyRule { Action = SeccompNotifyAction.Deny, ErrorNumber = "EBOGUS" }.Validate()).ErrorId);
    }

    [Fact]
    public void The_listener_program_notifies_only_the_launchs_execve_and_leaves_the_policy_as_it_is()
    {
        byte[] policy = new SeccompFilter
        {
            DefaultAction = SeccompAction.Allow,
            Rules =
            {
                new SeccompRule(new[] { "mkdir" }, SeccompAction.Notify),
                new SeccompRule(new[] { "ptrace" }, SeccompAction.KillProcess),
            },
        }.Compile().Program;
        const ulong launch = 0x7f12_3456_789aUL;
        byte[] program = new SeccompProgram(policy).ToListenerProgram(null, launch);
        var filter = new[] { SeccompBpfProgram.FromBytes(program, "listener") };

        string Verdict(string name, ulong ip) => SeccompBpfEvaluator.Evaluate(filter, name, SyscallArchitecture.X86_64, null, ip).Action;
        Assert.Equal("Notify", Verdict("execve", launch));
        Assert.Equal("Allow", Verdict("execve", launch + 0x1000));
        Assert.Equal("Allow", Verdict("execve", launch & 0xffffffff));   // the high word counts too
        Assert.Equal("Notify", Verdict("mkdir", 0x401000));
        Assert.Equal("KillProcess", Verdict("ptrace", launch));
        Assert.Equal("Allow", Verdict("getpid", launch));
    }
}
