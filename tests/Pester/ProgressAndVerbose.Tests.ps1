# What a user sees while a command works: Write-Progress bars (captured from a PowerShell instance's
# progress stream, which is where the host draws them from) and -Verbose messages for each stage.

BeforeAll {
    $manifest = Join-Path (Get-Module PSSyscall).ModuleBase 'PSSyscall.psd1'

    # Runs a script in a new PowerShell with the module and returns its output and progress records.
    function Invoke-WithProgress([string] $Script) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$manifest'; $Script")
            $output = $ps.Invoke()
            if ($ps.Streams.Error.Count) { throw $ps.Streams.Error[0] }
            [pscustomobject]@{ Output = @($output); Progress = @($ps.Streams.Progress) }
        }
        finally { $ps.Dispose() }
    }

    # A folder of 1200 files: `ls -l` makes a few calls per file, so its trace has thousands of events.
    $tree = Join-Path $TestDrive 'tree'
    $null = New-Item -ItemType Directory $tree
    1..1200 | ForEach-Object { [System.IO.File]::WriteAllText((Join-Path $tree "f$_"), '') }
}

Describe 'Progress' {
    It 'shows events so far while Start-TracedProcess writes to -OutFile, then closes the bar' {
        $file = Join-Path $TestDrive 'trace.jsonl'
        $r = Invoke-WithProgress "Start-TracedProcess -OutFile '$file' ls -l '$tree' > `$null"
        $bars = @($r.Progress | Where-Object RecordType -eq Processing)
        $bars | Should -Not -BeNullOrEmpty
        $bars[0].Activity | Should -BeExactly 'Tracing ls'
        $bars | ForEach-Object { $_.StatusDescription | Should -Match '^\d+ events so far$' }
        $r.Progress[-1].RecordType | Should -Be Completed
    }

    It 'shows events so far with -Summary' {
        $r = Invoke-WithProgress "Start-TracedProcess -Summary ls -l '$tree' | Out-Null"
        @($r.Progress | Where-Object { $_.StatusDescription -match '^\d+ events so far$' }) | Should -Not -BeNullOrEmpty
        $r.Progress[-1].RecordType | Should -Be Completed
    }

    It 'shows no bar when the events go to the pipeline' {
        $r = Invoke-WithProgress '(Start-TracedProcess /bin/true).Count'
        $r.Output[0] | Should -BeGreaterThan 10
        $r.Progress | Should -HaveCount 0
    }

    It 'shows bytes read of the total while Get-SyscallEvent reads a large file' {
        $file = Join-Path $TestDrive 'big.jsonl'
        Start-TracedProcess -OutFile $file ls -l $tree > $null
        $size = (Get-Item $file).Length
        $r = Invoke-WithProgress "(Get-SyscallEvent '$file' | Measure-Object).Count"
        $r.Output[0] | Should -BeGreaterThan 2048 -Because 'the file needs events enough for progress'
        $bars = @($r.Progress | Where-Object RecordType -eq Processing)
        $bars | Should -Not -BeNullOrEmpty
        $bars[0].Activity | Should -BeExactly 'Reading trace files'
        $total = '{0:0.0}' -f ($size / 1MB)
        foreach ($bar in $bars) {
            $bar.StatusDescription | Should -Match "^\d+\.\d MB of $([regex]::Escape($total)) MB read, \d+ events$"
            $bar.PercentComplete | Should -BeIn (0..100)
            $bar.CurrentOperation | Should -BeExactly $file
        }
        $r.Progress[-1].RecordType | Should -Be Completed
    }

    It 'says what it compiles while New-SeccompFilter compiles a policy' {
        $r = Invoke-WithProgress 'New-SeccompFilter -Allow @system-service -Architecture X86_64, I386, X32 | Out-Null'
        @($r.Progress | Where-Object { $_.StatusDescription -match '^Compiling \d+ rules with libseccomp$' -and $_.RecordType -eq 'Processing' }) | Should -HaveCount 1
        $r.Progress[-1].RecordType | Should -Be Completed
    }
}

Describe 'Verbose' {
    It 'tells each stage of a trace' {
        $messages = @(Start-TracedProcess -Verbose -Name openat /bin/true 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $messages[0] | Should -BeExactly "Resolved '/bin/true' to /bin/true; working directory $((Get-Location).ProviderPath)."
        $messages | Should -Contain ($messages | Where-Object { $_ -match '^Launched /bin/true as process \d+, traced from its first instruction with its children\.$' })
        @($messages -match 'seccomp filter installed in the child') | Should -HaveCount 1
        @($messages -match '^The trace ended after \d+ events: process \d+ exited with 0\.$') | Should -HaveCount 1
    }

    It 'tells when it attaches and detaches' {
        # Not a child of this pwsh (.NET reaps its own children, which a tracer must not share): sh's orphan.
        $sleeperId = [int](sh -c 'sleep 30 >/dev/null 2>&1 & echo $!')
        $sleeper = Get-Process -Id $sleeperId
        try {
            $job = Start-ThreadJob { param($m, $id) Import-Module $m; Start-TracedProcess -Verbose -Id $id } -ArgumentList $manifest, $sleeper.Id
            # Wait until the tracer has attached (the verbose record arrives), then end the sleeper.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not ($job.Verbose | Where-Object Message -match '^Attached') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $sleeper | Stop-Process
            $null = $job | Wait-Job -Timeout 30
            $messages = @($job.Verbose.Message)
            @($messages -match "^Attached to process\(es\) $($sleeper.Id) and their threads") | Should -HaveCount 1
            @($messages -match '^The trace ended after \d+ events') | Should -HaveCount 1
        }
        finally {
            $sleeper | Stop-Process -ErrorAction Ignore
            $job | Remove-Job -Force -ErrorAction Ignore
        }
    }

    It 'tells each stage of a sandbox: namespaces, Landlock, seccomp, launch, end' {
        $filter = New-SeccompFilter -Deny uname
        $messages = @(Invoke-Sandboxed -Verbose -NoNetwork -ReadOnlyPath / -ExecutablePath / -Filter $filter /bin/true 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        @($messages -match "^Resolved '/bin/true' to /bin/true") | Should -HaveCount 1
        @($messages -match '^Namespaces: new Network namespace') | Should -HaveCount 1
        @($messages -match '^Landlock: the command may read /, ') | Should -HaveCount 1
        @($messages -match '^seccomp: a filter of \d+ BPF instructions is installed just before exec\.$') | Should -HaveCount 1
        @($messages -match '^Launched /bin/true as process \d+ inside the sandbox\.$') | Should -HaveCount 1
        @($messages -match '^The sandbox ended: exit 0 after') | Should -HaveCount 1
    }

    It 'tells what Get-SyscallEvent reads' {
        $file = Join-Path $TestDrive 'small.jsonl'
        Start-TracedProcess -OutFile $file /bin/true
        $messages = @(Get-SyscallEvent $file -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $messages[0] | Should -BeExactly "Reading 1 file(s): $file."
        $messages[-1] | Should -Match '^Read \d+ event\(s\), \d+ bytes\.$'
    }

    It 'tells what Export-SyscallEvent, Export-SeccompFilter and Test-SeccompFilter do' {
        $events = Start-TracedProcess -CaptureOutput true 6>$null
        $file = Join-Path $TestDrive 'export.jsonl'
        $messages = @($events | Export-SyscallEvent -Path $file -Verbose 4>&1 | ForEach-Object Message)
        $messages | Should -Contain "Writing events to $file as JsonLines."
        $messages[-1] | Should -BeExactly "Wrote $(@($events).Count) event(s) to $file."
        $filter = New-SeccompFilter -DefaultAction Allow -Deny mkdir
        @($filter | Export-SeccompFilter -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) |
            Should -Match '^Exporting a filter of 1 rule\(s\), default action Allow, as Json\.$'
        @(Test-SeccompFilter $filter mkdir -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) |
            Should -Match '^Compiled the filter with libseccomp: \d+ BPF instructions'
    }
}
