# New-SeccompRule: one rule with argument conditions.

Describe 'New-SeccompRule' {
    It 'parses every operator' -ForEach @(
        @{ Text = 'arg0 == 2'; Operator = 'Equal' }
        @{ Text = 'arg1 != 7'; Operator = 'NotEqual' }
        @{ Text = 'arg2 < 100'; Operator = 'Less' }
        @{ Text = 'arg3 <= 0x100000000'; Operator = 'LessOrEqual' }
        @{ Text = 'arg4 > 0xffffffff'; Operator = 'Greater' }
        @{ Text = 'arg5 >= 5'; Operator = 'GreaterOrEqual' }
        @{ Text = 'arg1 & 0xff00 == 0x1000'; Operator = 'MaskedEqual' }
    ) {
        $rule = New-SeccompRule -Name ioctl -Action Allow -Condition $Text
        $rule | Should -BeOfType PSSyscall.SeccompRule
        $rule.Conditions | Should -HaveCount 1
        $rule.Conditions[0].Operator.ToString() | Should -BeExactly $Operator
        $rule.Conditions[0].ToString() | Should -BeExactly $Text
    }

    It 'takes the errno by name or number' {
        (New-SeccompRule -Name ioctl -Action Errno -ErrorNumber ENOTTY).Action.ToString() | Should -BeExactly 'Errno(25)'
        (New-SeccompRule -Name ioctl -Action 'Errno(13)').Action.ToString() | Should -BeExactly 'Errno(13)'
        (New-SeccompRule -Name ioctl -Action Trace).Action.ToString() | Should -BeExactly 'Trace(0)'
    }

    It 'ANDs its conditions' {
        $rule = New-SeccompRule -Name mmap -Action Errno -Condition 'arg2 & 0x4 == 0x4', 'arg3 & 0x20 == 0x20'
        $f = New-SeccompFilter -Rule $rule
        (Test-SeccompFilter $f -Name mmap -Argument 0, 4096, 7, 0x22).Action | Should -BeExactly 'Errno(1)'
        (Test-SeccompFilter $f -Name mmap -Argument 0, 4096, 7, 0x02).Action | Should -BeExactly 'Allow'
        (Test-SeccompFilter $f -Name mmap -Argument 0, 4096, 3, 0x22).Action | Should -BeExactly 'Allow'
    }

    It 'reports <Case> as <Id> (<Category>)' -ForEach @(
        @{ Case = 'an argument index out of range'; Arguments = @{ Name = 'read'; Action = 'Errno'; Condition = 'arg6 == 1' }; Id = 'ArgumentIndexOutOfRange'; Category = 'InvalidArgument'; Hint = '*arg0 to arg5*' }
        @{ Case = 'a bad expression'; Arguments = @{ Name = 'read'; Action = 'Errno'; Condition = 'arg0 === 1' }; Id = 'InvalidCondition'; Category = 'InvalidArgument'; Hint = '*argN*' }
        @{ Case = 'another bad expression'; Arguments = @{ Name = 'read'; Action = 'Errno'; Condition = 'arg0 =! 1' }; Id = 'InvalidCondition'; Category = 'InvalidArgument'; Hint = '*argN*' }
        @{ Case = 'a misspelt errno'; Arguments = @{ Name = 'read'; Action = 'Errno'; ErrorNumber = 'EPREM' }; Id = 'UnknownErrno'; Category = 'InvalidArgument'; Hint = "*'EPERM'*" }
        @{ Case = 'an unknown action'; Arguments = @{ Name = 'read'; Action = 'Deni' }; Id = 'UnknownAction'; Category = 'InvalidArgument'; Hint = '*Allow, Errno*' }
        @{ Case = 'a misspelt syscall'; Arguments = @{ Name = 'raed'; Action = 'Allow' }; Id = 'UnknownSyscall'; Category = 'ObjectNotFound'; Hint = "*Did you mean 'read'?*" }
    ) {
        $err = { New-SeccompRule @Arguments } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.NewSeccompRuleCommand" -PassThru
        $err.CategoryInfo.Category | Should -Be $Category
        $err.ErrorDetails.Message | Should -BeLike $Hint
    }

    It 'completes the action: KillProcess from "Kil"' {
        $line = 'New-SeccompRule -Name read -Action Kil'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'KillProcess'
    }
}
