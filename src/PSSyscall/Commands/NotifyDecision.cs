using System.Collections;
using System.Management.Automation;

namespace PSSyscall.Commands;

/// <summary>What a -NotifyHandler script block may return as its answer: Allow, Log, Deny, an errno
/// name (EACCES), Deny(EACCES) / Errno(EACCES), Return(N), a SeccompNotifyAction, $true (Allow) or
/// $false (Deny), a SeccompNotifyRule or a hashtable like one (@{ Action = 'Deny'; ErrorNumber = 'EACCES' }).</summary>
internal static class NotifyDecision
{
    public static bool TryConvert(PSObject? item, out SeccompNotifyResponse response)
    {
        response = default;
        object? value = item?.BaseObject;
        try
        {
            switch (value)
            {
                case bool b:
                    response = b ? SeccompNotifyResponse.Allow : SeccompNotifyResponse.Errno(1);
                    return true;
                case SeccompNotifyAction action:
                    response = new SeccompNotifyRule { Action = action }.Response;
                    return true;
                case SeccompNotifyRule rule:
                    response = rule.Response;
                    return true;
                case Hashtable table:
                    response = LanguagePrimitives.ConvertTo<SeccompNotifyRule>(table).Response;
                    return true;
                case string text:
                    return SeccompNotifyResponse.TryParse(text, out response);
            }
        }
        catch (Exception e) when (e is PSInvalidCastException or Engine.Seccomp.SeccompException)
        {
            return false;
        }
        return false;
    }
}
