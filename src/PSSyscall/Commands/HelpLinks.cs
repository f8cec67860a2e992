namespace PSSyscall.Commands;

/// <summary>
/// Where Get-Help -Online sends users: each cmdlet's page in the project's own docs/en-US folder,
/// as the repository's web view shows it. One base, so a move of the repository is one edit.
/// </summary>
internal static class HelpLinks
{
    public const string Base = "https://github.com/pssyscall/PSSyscall/blob/main/docs/en-US/";
}
