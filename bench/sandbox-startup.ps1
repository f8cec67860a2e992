# Start-up cost of a sandbox, in one PowerShell process (pwsh), interleaved:
#   Invoke-Sandboxed -NoNetwork -Path <Docker's default profile>
#   bwrap with what Invoke-Sandboxed now gives every command by default: a user namespace mapping
#   nobody, PID, cgroup and network namespaces, a read-only root, a fresh /proc and /dev
#   (a native command started by PowerShell)
#   /bin/true                                              (the floor: starting any native command)
# Prints each run, the medians and the ratio Invoke-Sandboxed / bwrap (target <= 1.0).
# Run through bench/sandbox-startup.sh, which installs bubblewrap if it is missing.
param([int]$Runs = 25)
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }

$bwrapArgs = @('--unshare-user', '--uid', '65534', '--gid', '65534', '--unshare-pid', '--unshare-cgroup', '--unshare-net',
    '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '/bin/true')
$profilePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'data', 'seccomp', 'docker-default.json')
if (-not (Get-Command bwrap -ErrorAction SilentlyContinue)) {
    & apt-get install -y bubblewrap *> $null
}

function Measure-Run([scriptblock]$Block) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    & $Block
    $sw.Stop()
    $sw.Elapsed.TotalMilliseconds
}

function Get-Median([double[]]$Values) {
    $sorted = [double[]]$Values.Clone()
    [Array]::Sort($sorted)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$ours = [System.Collections.Generic.List[double]]::new()
$ourFilterOnly = [System.Collections.Generic.List[double]]::new()
$ourNetOnly = [System.Collections.Generic.List[double]]::new()
$bwrap = [System.Collections.Generic.List[double]]::new()
$floor = [System.Collections.Generic.List[double]]::new()

# Warm the JIT, the profile's first compile and the page cache.
for ($i = 0; $i -lt 3; $i++) {
    Invoke-Sandboxed -NoNetwork -Path $profilePath /bin/true
    & bwrap @bwrapArgs
    & /bin/true
}

for ($i = 1; $i -le $Runs; $i++) {
    $ours.Add((Measure-Run { Invoke-Sandboxed -NoNetwork -Path $profilePath /bin/true }))
    $bwrap.Add((Measure-Run { & bwrap @bwrapArgs }))
    $floor.Add((Measure-Run { & /bin/true }))
    $ourFilterOnly.Add((Measure-Run { Invoke-Sandboxed -Path $profilePath /bin/true }))
    $ourNetOnly.Add((Measure-Run { Invoke-Sandboxed -NoNetwork /bin/true }))
    "run {0,2}: Invoke-Sandboxed {1,7:N2} ms   bwrap {2,7:N2} ms   /bin/true {3,6:N2} ms   (profile only {4,6:N2} ms, -NoNetwork only {5,6:N2} ms)" -f $i, $ours[-1], $bwrap[-1], $floor[-1], $ourFilterOnly[-1], $ourNetOnly[-1]
}

$mo = Get-Median $ours; $mb = Get-Median $bwrap; $mf = Get-Median $floor
$mp = Get-Median $ourFilterOnly; $mn = Get-Median $ourNetOnly
""
"medians of $Runs runs:"
"  Invoke-Sandboxed -NoNetwork -Path docker-default.json /bin/true  {0,8:N2} ms" -f $mo
"  bwrap (user ns as nobody, pid, cgroup, net; ro root, /proc, /dev) {0,8:N2} ms" -f $mb
"  /bin/true as a native command                                    {0,8:N2} ms" -f $mf
"  Invoke-Sandboxed, profile only                                   {0,8:N2} ms" -f $mp
"  Invoke-Sandboxed, -NoNetwork only                                {0,8:N2} ms" -f $mn
"ratio Invoke-Sandboxed / bwrap: {0:N2} (target <= 1.0); load average {1}" -f ($mo / $mb), (((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ')
