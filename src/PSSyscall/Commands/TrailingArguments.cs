using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSSyscall.Commands;

/// <summary>
/// strace's rule for a command line: everything after the command's name belongs to the command.
/// PowerShell's binder does not know that rule: in <c>Start-TracedProcess cp -v a b</c> it binds
/// <c>-v</c> to <c>-Verbose</c> before the cmdlet runs. This reads the statement as the user wrote
/// it, finds each of the cmdlet's parameters that stood after the command's name, and gives them
/// back to the command, in their places, as the text that was typed (and the value bound to them).
/// The cmdlet then treats those parameters as not given.
///
/// It applies only when the command's name was given by position (with <c>-FilePath x</c> every
/// named parameter is the cmdlet's, and the command's arguments go in <c>-ArgumentList</c>), and
/// not to a statement that splats (its parts cannot be placed). Arguments after <c>--</c> are
/// positional already. A parameter prefix PowerShell finds ambiguous (<c>-n</c>) fails at binding,
/// before any cmdlet code runs: <c>--</c> before the command is the form that always works.
/// </summary>
internal static class TrailingArguments
{
    /// <summary>What the recovery found: the command's full argument list, and the cmdlet's
    /// parameters that it took back (to be treated as not given).</summary>
    public sealed record Result(string[] Arguments, IReadOnlyList<string> TakenParameters);

    /// <summary>Gives the command back what is its own, and treats those parameters as not given.
    /// A hidden letter switch (<see cref="CommandLineCmdlet"/>) that cannot be placed after the
    /// command's name ends the cmdlet with an error that says what to write instead.</summary>
    public static string[] Recover(PSCmdlet cmdlet, string filePathParameter, string[]? boundArguments)
    {
        Result result = Find(cmdlet, filePathParameter, boundArguments ?? Array.Empty<string>());
        Apply(cmdlet, result);
        foreach (string name in cmdlet.MyInvocation.BoundParameters.Keys)
        {
            if (name.Length != 1)
                continue;
            string message = $"'-{name.ToLowerInvariant()}' is not a parameter of {cmdlet.MyInvocation.MyCommand.Name}. Everything after the command's name is the command's, so put the command's options after its name, or write this cmdlet's parameters out in full before it (for example -Verbose, not -v). When the command line is built by splatting, put -- before the command: {cmdlet.MyInvocation.MyCommand.Name} -Name openat -- ls -l.";
            var record = new ErrorRecord(new ParameterBindingException(message), "ParameterBeforeCommand", ErrorCategory.InvalidArgument, "-" + name.ToLowerInvariant())
            {
                ErrorDetails = new ErrorDetails(message),
            };
            cmdlet.ThrowTerminatingError(record);
        }
        // A $null argument is no argument, as for a native command.
        return result.Arguments.Where(a => a is not null).ToArray();
    }

    private static Result Find(PSCmdlet cmdlet, string filePathParameter, string[] boundArguments)
    {
        var unchanged = new Result(boundArguments, Array.Empty<string>());
        InvocationInfo invocation = cmdlet.MyInvocation;
        if (invocation.BoundParameters.ContainsKey(filePathParameter) && IsNamedInStatement(invocation, filePathParameter))
            return unchanged;
        CommandAst? command = ParseStatement(invocation.Statement);
        if (command is null)
            return unchanged;

        ReadOnlyCollection<CommandElementAst> elements = command.CommandElements;
        var arguments = new List<string>();
        var taken = new List<string>();
        int positional = 0;          // index into boundArguments for positional elements
        bool afterName = false, endOfParameters = false;
        for (int i = 1; i < elements.Count; i++)
        {
            CommandElementAst element = elements[i];
            if (element is VariableExpressionAst { Splatted: true })
                return unchanged;
            if (element is CommandParameterAst parameter && !endOfParameters)
            {
                if (parameter.ParameterName == "-")
                {
                    endOfParameters = true;
                    continue;
                }
                ParameterMetadata? meta = Lookup(invocation.MyCommand, parameter.ParameterName);
                bool takesValue = parameter.Argument is null && meta is not null && meta.ParameterType != typeof(SwitchParameter);
                if (!afterName)
                {
                    if (takesValue)
                        i++; // its value: not the command's name
                    continue;
                }
                // A parameter of ours after the command's name: the command's.
                if (meta is not null)
                    taken.Add(meta.Name);
                object? value = meta is not null && invocation.BoundParameters.TryGetValue(meta.Name, out object? v) ? v : null;
                if (parameter.Argument is not null)
                {
                    arguments.Add("-" + parameter.ParameterName + ":" + Text(parameter.Argument, value));
                }
                else
                {
                    arguments.Add("-" + parameter.ParameterName);
                    if (takesValue && i + 1 < elements.Count)
                        arguments.AddRange(Values(elements[++i], value));
                }
                continue;
            }
            if (!afterName)
            {
                afterName = true; // the command's name itself
                continue;
            }
            if (positional < boundArguments.Length)
                arguments.Add(boundArguments[positional++]);
        }
        while (positional < boundArguments.Length)
            arguments.Add(boundArguments[positional++]);
        return taken.Count == 0 ? unchanged : new Result(arguments.ToArray(), taken);
    }

    /// <summary>Treats the parameters the command took back as not given: each gets the value a
    /// new instance of the cmdlet has, and leaves BoundParameters. (A common parameter such as
    /// -Verbose keeps its effect on the runtime; the cmdlet's own use of it is checked through
    /// <see cref="Took"/>.)</summary>
    private static void Apply(PSCmdlet cmdlet, Result result)
    {
        if (result.TakenParameters.Count == 0)
            return;
        if (cmdlet is CommandLineCmdlet commandLine && result.TakenParameters.Contains("Verbose", StringComparer.OrdinalIgnoreCase)
            && !(LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("VerbosePreference"), out ActionPreference session) && session == ActionPreference.Continue))
            commandLine.VerboseBelongsToCommand = true;
        object fresh = Activator.CreateInstance(cmdlet.GetType())!;
        foreach (string name in result.TakenParameters)
        {
            cmdlet.MyInvocation.BoundParameters.Remove(name);
            System.Reflection.PropertyInfo? property = cmdlet.GetType().GetProperty(name);
            if (property is { CanWrite: true })
                property.SetValue(cmdlet, property.GetValue(fresh));
        }
    }

    private static bool IsNamedInStatement(InvocationInfo invocation, string parameterName)
    {
        CommandAst? command = ParseStatement(invocation.Statement);
        if (command is null)
            return true;
        foreach (CommandElementAst element in command.CommandElements)
        {
            if (element is CommandParameterAst p && p.ParameterName != "-" && Lookup(invocation.MyCommand, p.ParameterName)?.Name == parameterName)
                return true;
        }
        return false;
    }

    private static CommandAst? ParseStatement(string? statement)
    {
        if (string.IsNullOrEmpty(statement))
            return null;
        ScriptBlockAst ast = Parser.ParseInput(statement, out _, out ParseError[] errors);
        if (errors.Length > 0)
            return null;
        return ast.Find(a => a is CommandAst, searchNestedScriptBlocks: false) as CommandAst;
    }

    /// <summary>The parameter a name or prefix binds to, as the binder resolves it: an exact name
    /// or alias first; then the one parameter the prefix starts, where a prefix that starts one of
    /// the cmdlet's own parameters and some common ones (-o: -OutFile, -OutVariable) is the
    /// cmdlet's.</summary>
    private static ParameterMetadata? Lookup(CommandInfo command, string name)
    {
        var matches = new List<ParameterMetadata>();
        foreach (ParameterMetadata meta in command.Parameters.Values)
        {
            if (meta.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || meta.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)))
                return meta;
            if (meta.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                matches.Add(meta);
        }
        if (matches.Count > 1)
            matches.RemoveAll(m => CommonParameterNames.Contains(m.Name));
        return matches.Count == 1 ? matches[0] : null;
    }

    private static readonly HashSet<string> CommonParameterNames = new(
        Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

    /// <summary>An argument element's text: a constant as written, anything else as the value the
    /// binder computed for it.</summary>
    private static string Text(CommandElementAst element, object? bound) => element switch
    {
        StringConstantExpressionAst s => s.Value,
        ConstantExpressionAst c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        _ => LanguagePrimitives.ConvertTo<string>(bound is PSObject pso ? pso.BaseObject : bound) ?? "",
    };

    private static IEnumerable<string> Values(CommandElementAst element, object? bound)
    {
        if (element is StringConstantExpressionAst or ConstantExpressionAst)
            return new[] { Text(element, bound) };
        object? value = bound is PSObject pso ? pso.BaseObject : bound;
        if (value is IEnumerable items and not string)
            return items.Cast<object?>().Select(item => LanguagePrimitives.ConvertTo<string>(item) ?? "").ToArray();
        return new[] { Text(element, bound) };
    }
}
