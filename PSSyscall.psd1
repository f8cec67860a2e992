@{
    RootModule             = 'PSSyscall.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5b0f0a52-8c1e-4c57-9a0e-7f3f1d2b9c61'
    Author                 = 'PSSyscall developers'
    CompanyName            = 'PSSyscall'
    Copyright              = '(c) PSSyscall developers. MIT License.'
    Description            = 'Trace and sandbox the system calls of Linux processes, as objects in the pipeline: a ptrace tracer with strace-grade decoding, seccomp policies compiled by libseccomp, and a sandbox launcher.'
    PowerShellVersion      = '7.6'
    CompatiblePSEditions   = @('Core')
    FormatsToProcess       = @('PSSyscall.Format.ps1xml')
    # Loaded before the types file, which names their types (a seccomp filter's deserialization).
    RequiredAssemblies     = @('PSSyscall.Engine.dll', 'PSSyscall.dll')
    TypesToProcess         = @('PSSyscall.Types.ps1xml')
    CmdletsToExport        = @(
        'Start-TracedProcess'
        'New-SyscallFault'
        'New-SeccompFilter'
        'New-SeccompRule'
        'Get-SeccompGroup'
        'Export-SeccompFilter'
        'Test-SeccompFilter'
        'Export-SyscallEvent'
        'Get-SyscallEvent'
        'Measure-SyscallEvent'
        'Get-TracedProcessTree'
        'Export-SyscallTimeline'
        'Invoke-Sandboxed'
        'Resolve-SeccompFilter'
        'Get-SeccompFilter'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags = @('Linux', 'strace', 'ptrace', 'seccomp', 'sandbox', 'syscall')
        }
    }
}
