using PSSyscall.HelpBuilder;

// HelpBuilder <docs dir> <output xml>
// Exit codes: 0 written, 1 a page is malformed (reported as "file(line): error HELP001: ..."), 2 usage.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: HelpBuilder <docs directory> <output MAML file>");
    return 2;
}
if (!Directory.Exists(args[0]))
{
    Console.Error.WriteLine($"{args[0]}: error HELP002: The docs folder does not exist.");
    return 1;
}
try
{
    string maml = HelpBuilder.Build(args[0]);
    HelpBuilder.WriteIfChanged(args[1], maml);
    Console.WriteLine($"HelpBuilder: {args[1]}");
    return 0;
}
catch (HelpFormatException e)
{
    // MSBuild's Exec turns this canonical form into a build error pointing at the page.
    Console.Error.WriteLine(e.ToCanonicalError());
    return 1;
}
