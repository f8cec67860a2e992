using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace PSSyscall.Shell;

/// <summary>
/// pssyscall [-NoProfile] [-NonInteractive] (-Command|-c) &lt;script&gt; | [-File] &lt;path&gt; [args]
/// Runs PowerShell with the PSSyscall module imported, writing output through Out-Default.
/// Exit code: the script's `exit N`, else 1 if anything failed, else 0 (as pwsh -Command).
/// Without a command it reads commands from a prompt.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: pssyscall [-NoProfile] [-NonInteractive] [-Command|-c <script> | [-File] <script.ps1> [args...]]";

    private static int Main(string[] args)
    {
        string? command = null;
        string? file = null;
        var fileArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (file is not null) { fileArgs.Add(a); continue; }
            switch (a.ToLowerInvariant())
            {
                case "-noprofile": case "-nop": case "-noninteractive": case "-noni": case "-nologo":
                    break;
                case "-command": case "-c":
                    // pwsh joins everything after -Command into the script.
                    command = string.Join(' ', args.Skip(i + 1));
                    i = args.Length;
                    break;
                case "-file": case "-f":
                    if (i + 1 >= args.Length) { Console.Error.WriteLine(Usage); return 64; }
                    file = args[++i];
                    break;
                case "-help": case "-h": case "-?": case "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    if (a.StartsWith('-')) { Console.Error.WriteLine($"Unknown option '{a}'. {Usage}"); return 64; }
                    file = a;
                    break;
            }
        }

        var host = new ShellHost();
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModulePath());
        using Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();

        if (command is not null)
            return Run(runspace, host, command, null);
        if (file is not null)
        {
            if (!File.Exists(file)) { Console.Error.WriteLine($"The script '{file}' does not exist."); return 64; }
            return Run(runspace, host, Path.GetFullPath(file), fileArgs, isFile: true);
        }
        return Repl(runspace, host);
    }

    private static string ModulePath()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("PSSYSCALL_MODULE_PATH");
        if (!string.IsNullOrEmpty(fromEnv))
            return fromEnv;
        return typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "PSSyscallModulePath").Value!;
    }

    private static int Run(Runspace runspace, ShellHost host, string script, List<string>? args, bool isFile = false)
    {
        using PowerShell ps = PowerShell.Create(runspace);
        if (isFile)
        {
            ps.AddCommand(script);
            foreach (string a in args ?? new List<string>())
                ps.AddArgument(a);
        }
        else
        {
            ps.AddScript(script);
        }
        // Errors go through Out-Default too, so they are shown in order with the output.
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");

        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // Ctrl+C stops the pipeline, not the shell
            ps.BeginStop(null, null);
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            ps.Invoke();
        }
        catch (PipelineStoppedException)
        {
            return host.ExitCode ?? 130;
        }
        catch (RuntimeException e)
        {
            ReportTerminatingError(runspace, e);
            return host.ExitCode ?? 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (host.ExitCode is int code)
            return code;
        return ps.HadErrors ? 1 : 0;
    }

    private static void ReportTerminatingError(Runspace runspace, RuntimeException e)
    {
        using PowerShell ps = PowerShell.Create(runspace);
        ps.AddCommand("Out-Default").AddParameter("InputObject", e.ErrorRecord);
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException)
        {
            Console.Error.WriteLine(e.Message);
        }
    }

    private static int Repl(Runspace runspace, ShellHost host)
    {
        int last = 0;
        while (host.ExitCode is null)
        {
            Console.Write($"PSSyscall {Environment.CurrentDirectory}> ");
            string? line = Console.ReadLine();
            if (line is null)
                break;
            if (line.Trim().Length == 0)
                continue;
            last = Run(runspace, host, line, null);
        }
        return host.ExitCode ?? last;
    }
}
