using System.Management.Automation;
using PSSyscall.Engine;

namespace PSSyscall.Commands;

/// <summary>
/// The one way an engine failure becomes an ErrorRecord: the engine's id, its category (converted by
/// name), its target, and its sentence as ErrorDetails. The exception kept in the record is the
/// engine's own when there is one, so -ErrorVariable and $Error show what happened.
/// </summary>
internal static class ModuleErrors
{
    public static ErrorRecord From(IEngineFailure failure, object? target = null)
    {
        Exception exception = failure as Exception ?? new InvalidDataException(failure.Message);
        var category = Enum.TryParse(failure.Category.ToString(), out ErrorCategory c) ? c : ErrorCategory.NotSpecified;
        return new ErrorRecord(exception, failure.ErrorId, category, target ?? failure.Target)
        {
            ErrorDetails = new ErrorDetails(failure.Message),
        };
    }
}
