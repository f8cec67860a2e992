using System.Globalization;
using System.Numerics;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Makes a <see cref="TraceEvent"/> again from the property bag it became on a trip through
/// serialization: PowerShell remoting and jobs (Deserialized.PSSyscall.SyscallEvent), Import-Clixml,
/// Import-Csv (every value a string) and ConvertFrom-Json (numbers, enums as numbers, big integers).
/// The same schema as the trace files (<see cref="EventSchema"/>) says which properties there are;
/// each value is taken as it is when it already has the property's type, else through the file
/// formats' text codec, else through the invariant culture's conversions.
/// </summary>
public static class TraceEventRebuilder
{
    /// <summary>The event the bag describes, or null (with the reason) when it is not one: no
    /// EventType or Name/ExitCode/Signal to tell its kind, or a value that cannot be converted.</summary>
    public static TraceEvent? TryRebuild(IReadOnlyDictionary<string, object?> properties, out string? reason)
    {
        reason = null;
        TraceEventType? kind = KindOf(properties);
        if (kind is null)
        {
            reason = "It has no EventType, nor the properties that make a system call (Name and Number), a signal (SignalNumber) or a process exit (ExitCode and ProcessId).";
            return null;
        }
        EventSchema schema = EventSchema.For(kind.Value);
        TraceEvent e = schema.Create();
        TraceEvent fresh = schema.Create();
        foreach (EventProperty property in schema.StoredProperties)
        {
            if (!properties.TryGetValue(property.Name, out object? value))
                continue;
            // Import-Csv cannot tell an empty field from a null one: a property that is null when
            // not set (Errno, Path) stays null for "".
            if (value is string { Length: 0 } && property.GetValue(fresh) is null)
                value = null;
            try
            {
                Set(property, e, value);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidCastException)
            {
                reason = $"Its {property.Name} '{value}' is not a valid value: {ex.Message}";
                return null;
            }
        }
        if (e is SyscallEvent s)
        {
            s.RawArgumentsKnown = Enumerable.Range(0, 6).All(i => properties.ContainsKey("Argument" + i.ToString(CultureInfo.InvariantCulture)));
            // A bag without Arguments or Result (Select-Object of a few properties) keeps the derived forms.
            if (!properties.ContainsKey(nameof(SyscallEvent.Arguments)))
                s.Arguments = "";
        }
        return e;
    }

    private static TraceEventType? KindOf(IReadOnlyDictionary<string, object?> properties)
    {
        if (properties.TryGetValue(nameof(TraceEvent.EventType), out object? kind) && kind is not null)
        {
            string text = System.Convert.ToString(kind, CultureInfo.InvariantCulture) ?? "";
            if (Enum.TryParse(text, ignoreCase: true, out TraceEventType parsed) && Enum.IsDefined(parsed))
                return parsed;
        }
        // Without EventType (Select-Object of some properties), only a bag that has what defines a
        // kind is one: a bag with just a Name is a syscall name, not an event.
        if (properties.ContainsKey(nameof(SyscallEvent.Name)) && properties.ContainsKey(nameof(SyscallEvent.Number)))
            return TraceEventType.Syscall;
        if (properties.ContainsKey(nameof(ProcessExitEvent.ExitCode)) && properties.ContainsKey(nameof(TraceEvent.ProcessId)))
            return TraceEventType.Exit;
        if (properties.ContainsKey(nameof(SignalEvent.SignalNumber)))
            return TraceEventType.Signal;
        return null;
    }

    private static void Set(EventProperty property, TraceEvent e, object? value)
    {
        Type target = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
        if (value is null || value is string { Length: 0 } && target != typeof(string))
        {
            property.ParseText(null, e);
            return;
        }
        if (property.Type.IsInstanceOfType(value) || target.IsInstanceOfType(value))
        {
            property.SetValue(e, value);
            return;
        }
        if (value is string text)
        {
            if (TryParseText(property, e, text))
                return;
            property.SetValue(e, FromText(text, target));
            return;
        }
        property.SetValue(e, ConvertNumber(value, target));
    }

    /// <summary>The file formats' own text form first (what Export-SyscallEvent's CSV writes).</summary>
    private static bool TryParseText(EventProperty property, TraceEvent e, string text)
    {
        try
        {
            property.ParseText(text, e);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Strings as Export-Csv writes them (the current culture's forms) and as people type them.</summary>
    private static object FromText(string text, Type target)
    {
        if (target.IsEnum)
            return Enum.Parse(target, text, ignoreCase: true);
        if (target == typeof(DateTime))
            return DateTime.Parse(text, CultureInfo.CurrentCulture, DateTimeStyles.RoundtripKind);
        if (target == typeof(TimeSpan))
            return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        if (target == typeof(bool))
            return bool.Parse(text);
        return System.Convert.ChangeType(text, target, CultureInfo.InvariantCulture);
    }

    /// <summary>Numbers of another width or kind (ConvertFrom-Json gives long, double, decimal or
    /// BigInteger), enums as their numbers, DateTimeOffset for DateTime.</summary>
    private static object ConvertNumber(object value, Type target)
    {
        if (value is BigInteger big)
        {
            if (target == typeof(ulong)) return (ulong)big;
            if (target == typeof(long)) return (long)big;
            return System.Convert.ChangeType((decimal)big, target, CultureInfo.InvariantCulture);
        }
        if (target.IsEnum)
            return Enum.ToObject(target, System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
        if (target == typeof(DateTime) && value is DateTimeOffset offset)
            return offset.LocalDateTime;
        if (target == typeof(TimeSpan))
            return value is string s ? TimeSpan.Parse(s, CultureInfo.InvariantCulture) : TimeSpan.FromTicks(System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
        if (target == typeof(ulong) && value is double d)
            return (ulong)d;
        return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}
