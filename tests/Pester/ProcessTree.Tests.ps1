# Get-TracedProcessTree and Export-SyscallTimeline: the picture of a trace. The tree is checked
# against the events themselves and against strace -f's own record of the same command; the
# timeline is opened in a real browser (headless Chromium, Debian package chromium: .ci/run
# installs it), whose laid-out page and screenshot must show the lanes and spans.

BeforeAll {
    # Counts the pixels of each colour (rrggbb) in an 8-bit RGB or RGBA PNG, the kind Chromium writes.
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
public static class PngColours
{
    public static Dictionary<string, int> Count(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int pos = 8, width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        while (pos < file.Length)
        {
            int length = (file[pos] << 24) | (file[pos + 1] << 16) | (file[pos + 2] << 8) | file[pos + 3];
            string type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            if (type == "IHDR")
            {
                width = (file[pos + 8] << 24) | (file[pos + 9] << 16) | (file[pos + 10] << 8) | file[pos + 11];
                height = (file[pos + 12] << 24) | (file[pos + 13] << 16) | (file[pos + 14] << 8) | file[pos + 15];
                if (file[pos + 16] != 8 || file[pos + 20] != 0) throw new InvalidDataException("Only 8-bit, non-interlaced PNGs.");
                channels = file[pos + 17] == 6 ? 4 : file[pos + 17] == 2 ? 3 : throw new InvalidDataException("Only RGB and RGBA PNGs.");
            }
            else if (type == "IDAT") idat.Write(file, pos + 8, length);
            pos += 12 + length;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        byte[] data = raw.ToArray();
        int stride = width * channels;
        byte[] previous = new byte[stride], row = new byte[stride];
        var counts = new Dictionary<string, int>();
        for (int y = 0; y < height; y++)
        {
            int filter = data[y * (stride + 1)];
            Array.Copy(data, y * (stride + 1) + 1, row, 0, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int predictor = filter switch { 1 => a, 2 => b, 3 => (a + b) / 2, 4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c, _ => 0 };
                row[i] = (byte)(row[i] + predictor);
            }
            for (int x = 0; x < width; x++)
            {
                string key = row[x * channels].ToString("x2") + row[x * channels + 1].ToString("x2") + row[x * channels + 2].ToString("x2");
                counts[key] = counts.TryGetValue(key, out int n) ? n + 1 : 1;
            }
            (previous, row) = (row, previous);
        }
        return counts;
    }
}
'@
    function Get-PngColourCount([string] $Path) { [PngColours]::Count($Path) }

    # A parent with two children that end differently: cat fails (1), the inner sh exits 3.
    $script:command = 'cat /nonexistent/pssyscall-tree 2>/dev/null; sh -c "exit 3"; true'
    $script:events = @(Start-TracedProcess sh -c $command)
    $script:calls = @($events | Where-Object { $_ -is [PSSyscall.SyscallEvent] })
    $script:exits = @($events | Where-Object { $_ -is [PSSyscall.ProcessExitEvent] })
    $script:root = ($exits | Where-Object IsRoot).ProcessId
}

Describe 'ParentProcessId' {
    It 'is on every event: the traced children''s parent is the process that forked them' {
        $exits | Should -HaveCount 3
        foreach ($e in $events | Where-Object ProcessId -ne $root) { $e.ParentProcessId | Should -Be $root }
    }

    It 'is this PowerShell for the launched process' {
        foreach ($e in $events | Where-Object ProcessId -eq $root) { $e.ParentProcessId | Should -Be $PID }
    }

    It 'survives a JSON Lines and a CSV file' {
        foreach ($ext in 'jsonl', 'csv') {
            $file = Join-Path $TestDrive "events.$ext"
            $events | Export-SyscallEvent $file
            $read = @(Get-SyscallEvent $file)
            $read | Should -HaveCount $events.Count
            for ($i = 0; $i -lt $read.Count; $i++) { $read[$i].ParentProcessId | Should -Be $events[$i].ParentProcessId }
        }
    }
}

Describe 'Get-TracedProcessTree' {
    BeforeAll {
        $script:tree = @($events | Get-TracedProcessTree)
    }

    It 'has the launched process first and its children below it, in the order they started' {
        $tree | Should -HaveCount 3
        $tree[0].ProcessId | Should -Be $root
        $tree[0].Depth | Should -Be 0
        $tree[0].ParentProcessId | Should -Be $PID
        $tree[0].Children | Should -Be @($tree[1].ProcessId, $tree[2].ProcessId)
        $tree[1].ProcessName | Should -BeExactly 'cat'
        $tree[2].ProcessName | Should -BeExactly 'sh'
        $tree[1..2].Depth | Should -Be @(1, 1)
        $tree[1..2].ParentProcessId | Should -Be @($root, $root)
        $tree.TreePrefix | Should -Be @('', '├─ ', '└─ ')
    }

    It 'says what each ran and how it ended' {
        $tree[0].Programs | Should -Be @('/usr/bin/sh')
        $tree[1].Programs | Should -Be @('/usr/bin/cat')
        $tree[1].CommandLine | Should -BeExactly '["cat", "/nonexistent/pssyscall-tree"]'
        $tree[2].CommandLine | Should -BeExactly '["sh", "-c", "exit 3"]'
        $tree.ExitCode | Should -Be @(0, 1, 3)
        $tree.Ending | Should -Be @('exit 0', 'exit 1', 'exit 3')
    }

    It 'counts each process''s calls, errors, time in calls and signals from its events' {
        foreach ($node in $tree) {
            $own = @($calls | Where-Object ProcessId -eq $node.ProcessId)
            $own.Count | Should -BeGreaterThan 10
            $node.Calls | Should -Be $own.Count
            $node.Errors | Should -Be @($own | Where-Object Errno).Count
            $node.SyscallTime.Ticks | Should -Be ($own | Measure-Object -Property { $_.Duration.Ticks } -Sum).Sum
            $node.Threads | Should -Be 1
            $node.EndTime | Should -BeGreaterThan $node.StartTime
        }
        $tree[0].Signals | Should -Be @($events | Where-Object { $_ -is [PSSyscall.SignalEvent] -and $_.ProcessId -eq $root }).Count
        $tree[0].Signals | Should -BeGreaterOrEqual 1 -Because 'sh gets SIGCHLD when its children end'
    }

    It 'reads the same tree from a trace file' {
        $file = Join-Path $TestDrive 'tree.jsonl'
        $events | Export-SyscallEvent $file
        $fromFile = @(Get-TracedProcessTree $file)
        $fromFile.ProcessId | Should -Be $tree.ProcessId
        $fromFile.ParentProcessId | Should -Be $tree.ParentProcessId
        $fromFile.Calls | Should -Be $tree.Calls
    }

    It 'builds the same shape from strace -f''s own output (the oracle)' {
        $file = Join-Path $TestDrive 'strace.txt'
        & strace -f -tt -T -o $file sh -c $command
        $straceTree = @(Get-TracedProcessTree $file)
        $straceTree | Should -HaveCount 3
        $straceTree.ProcessName | Should -Be @('sh', 'cat', 'sh')
        $straceTree.Depth | Should -Be @(0, 1, 1)
        $straceTree[1..2].ParentProcessId | Should -Be @($straceTree[0].ProcessId, $straceTree[0].ProcessId)
        $straceTree.ExitCode | Should -Be @(0, 1, 3)
        # strace saw cat make the calls our tracer saw it make.
        $straceTree[1].Calls | Should -Be $tree[1].Calls
    }

    It 'draws the tree in its table view' {
        # (Views.Tests.ps1 checks the view at 80 and 200 columns; here, the branches.)
        $lines = ($tree | Format-Table | Out-String) -split "`n"
        @($lines | Where-Object { $_ -match "^ +$root exit 0 +\d+ +\d+\.\d{6} +\d+\.\d{6} sh \[" }) | Should -HaveCount 1
        @($lines | Where-Object { $_ -match "^ +$($tree[1].ProcessId) exit 1 .* ├─ cat \[" }) | Should -HaveCount 1
        @($lines | Where-Object { $_ -match "^ +$($tree[2].ProcessId) exit 3 .* └─ sh \[" }) | Should -HaveCount 1
    }
}

Describe 'Export-SyscallTimeline in a real browser' {
    BeforeAll {
        $script:chromium = (Get-Command chromium -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
        $script:page = Join-Path $TestDrive 'timeline.html'
        $script:written = $events | Export-SyscallTimeline $page -Title 'tree test' -PassThru

        function Invoke-Chromium([string[]] $Arguments, [string] $Fragment = '') {
            if (-not $chromium) { throw 'Chromium is not installed: .ci/run installs it (apt-get install -y chromium).' }
            $profileDir = Join-Path $TestDrive "chromium-$([guid]::NewGuid())"
            # timeout(1): a browser that hangs fails the test instead of the suite.
            & timeout 120 $chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$profileDir" @Arguments "file://$page$Fragment" 2>$null
        }

        function Get-PageSummary([string] $Fragment = '') {
            $dom = (Invoke-Chromium '--dump-dom' -Fragment $Fragment) -join "`n"
            $dom | Should -Match '<div id="summary"'
            $summary = @{}
            foreach ($m in [regex]::Matches($dom, 'data-([a-z-]+)="(\d+)"')) { $summary[$m.Groups[1].Value] = [int]$m.Groups[2].Value }
            $summary
        }
    }

    It 'writes one self-contained file that fetches nothing' {
        $written.FullName | Should -BeExactly $page
        $html = [System.IO.File]::ReadAllText($page)
        $html | Should -Match '<title>tree test</title>'
        $html | Should -Not -Match '(src|href)\s*=\s*"(https?:)?//'
        $html | Should -Not -Match '\bfetch\(|XMLHttpRequest|@import'
    }

    It 'draws a lane per thread and a span per call, marks for signals and exits' {
        $summary = Get-PageSummary
        $threads = @($events | ForEach-Object { "$($_.ProcessId)/$($_.ThreadId)" } | Sort-Object -Unique)
        $summary['lanes'] | Should -Be $threads.Count
        $summary['spans'] | Should -Be $calls.Count
        $summary['drawn-spans'] | Should -Be $calls.Count -Because 'the browser laid out every span with a size'
        $summary['exits'] | Should -Be 3
        $summary['signals'] | Should -Be @($events | Where-Object { $_ -is [PSSyscall.SignalEvent] }).Count
        $summary['processes'] | Should -Be 3
        $summary['visible-spans'] | Should -Be $calls.Count -Because 'the whole trace is in view'
    }

    It 'opens zoomed to the range in its address' {
        # The first millisecond of the trace: the launched shell's execve alone takes longer.
        $summary = Get-PageSummary '#from=0.000000&to=0.001000'
        $summary['view-from'] | Should -Be 0
        $summary['view-to'] | Should -Be 1000
        $summary['visible-spans'] | Should -BeGreaterThan 0
        $summary['visible-spans'] | Should -BeLessThan $calls.Count
    }

    It 'shows the spans in their classes'' colours in a screenshot' {
        $png = Join-Path $TestDrive 'timeline.png'
        Invoke-Chromium "--screenshot=$png", '--window-size=1400,500' | Out-Null
        Test-Path $png | Should -BeTrue
        $colours = Get-PngColourCount $png
        # Process calls (execve, wait4, exit_group) are orange #f28e2b; file calls (openat) blue #4e79a7.
        $colours['f28e2b'] | Should -BeGreaterThan 100
        $colours['4e79a7'] | Should -BeGreaterThan 20
        $colours['d62728'] | Should -BeGreaterThan 10 -Because 'signals are red diamonds'
        $colours.Count | Should -BeGreaterThan 20 -Because 'a blank page has one colour'
    }
}
