namespace PSSyscall.Engine;

/// <summary>
/// What the engine says about a failure so that the module can report it without a mapping of its
/// own per exception type: a stable id (UnknownSyscall, ProfileTooLarge), what kind of failure it is,
/// the offending value, and a sentence a user can act on. The module's one factory
/// (PSSyscall.Commands.ModuleErrors) turns any of these into an ErrorRecord.
/// </summary>
public interface IEngineFailure
{
    string ErrorId { get; }

    FailureCategory Category { get; }

    object? Target { get; }

    string Message { get; }
}
