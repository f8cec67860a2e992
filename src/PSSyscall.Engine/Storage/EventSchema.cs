using System.Runtime.CompilerServices;
using System.Linq.Expressions;
using System.Reflection;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// The properties of one event type, discovered once by reflection, so that every writer and reader
/// carries whatever properties the event classes have (a property added to <see cref="SyscallEvent"/>
/// is stored without touching this folder). Accessors are compiled delegates: no reflection per event.
/// </summary>
internal sealed class EventSchema
{
    public static readonly EventSchema Syscall = new(typeof(SyscallEvent), TraceEventType.Syscall, () => new SyscallEvent());
    public static readonly EventSchema Signal = new(typeof(SignalEvent), TraceEventType.Signal, () => new SignalEvent());
    public static readonly EventSchema Exit = new(typeof(ProcessExitEvent), TraceEventType.Exit, () => new ProcessExitEvent());

    private readonly Func<TraceEvent> _create;

    private EventSchema(Type type, TraceEventType kind, Func<TraceEvent> create)
    {
        Type = type;
        Kind = kind;
        _create = create;
        var all = new List<EventProperty>();
        // PowerShell's adapter (and so Export-Csv) lists properties in reflection order: the type's
        // own first, then its base class's. Keep that order for CSV columns.
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length != 0 || p.GetMethod is null || !p.GetMethod.IsPublic)
                continue;
            EventProperty? property = EventProperty.Create(p);
            if (property is not null)
                all.Add(property);
        }
        AllProperties = all.ToArray();
        // Stored form (JSON): the discriminator, then the base class's settable properties, then the type's own.
        StoredProperties = all.Where(p => p.CanWrite)
            .OrderBy(p => p.DeclaringDepth)
            .ThenBy(p => p.MetadataToken)
            .ToArray();
    }

    public Type Type { get; }

    public TraceEventType Kind { get; }

    /// <summary>Every public property in PowerShell's order, computed ones (Result, EventType) too.</summary>
    public EventProperty[] AllProperties { get; }

    /// <summary>The settable properties, base class first: what a lossless file holds.</summary>
    public EventProperty[] StoredProperties { get; }

    public TraceEvent Create() => _create();

    public static EventSchema For(TraceEventType kind) => kind switch
    {
        TraceEventType.Signal => Signal,
        TraceEventType.Exit => Exit,
        _ => Syscall,
    };

    public static EventSchema For(TraceEvent e) => For(e.EventType);

    public static readonly EventSchema[] All = [Syscall, Signal, Exit];

    public EventProperty? Find(string name)
    {
        foreach (EventProperty p in AllProperties)
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p;
        return null;
    }
}

/// <summary>One property of an event type with its typed accessors and value codec.</summary>
internal abstract class EventProperty
{
    protected EventProperty(PropertyInfo info)
    {
        Name = info.Name;
        JsonName = System.Text.Json.JsonEncodedText.Encode(info.Name);
        CanWrite = info.SetMethod is { IsPublic: true };
        MetadataToken = info.MetadataToken;
        int depth = 0;
        for (Type? t = info.DeclaringType; t is not null && t != typeof(object); t = t.BaseType)
            depth++;
        // Shallower declaring type (the base class) sorts first.
        DeclaringDepth = depth;
    }

    public string Name { get; }

    public System.Text.Json.JsonEncodedText JsonName { get; }

    public bool CanWrite { get; }

    public int MetadataToken { get; }

    public int DeclaringDepth { get; }

    /// <summary>The property's declared type.</summary>
    public abstract Type Type { get; }

    /// <summary>The value, boxed.</summary>
    public abstract object? GetValue(TraceEvent e);

    /// <summary>Sets the property from a value of its own type (boxed); ignored for a read-only one.</summary>
    public abstract void SetValue(TraceEvent e, object? value);

    public abstract void WriteJson(System.Text.Json.Utf8JsonWriter writer, TraceEvent e);

    /// <summary>Reads the current JSON value (the reader is on it) into the event.</summary>
    public abstract void ReadJson(ref System.Text.Json.Utf8JsonReader reader, TraceEvent e, Utf8StringCache strings);

    /// <summary>The value as a CSV/text field, or null for a null value.</summary>
    public abstract string? FormatText(TraceEvent e);

    /// <summary>Sets the property from a CSV field (null: the field was empty and unquoted).</summary>
    public abstract void ParseText(string? text, TraceEvent e);

    /// <summary>Sets the property from a scanned JSON value; false when the value is not in the form
    /// the writer gives it.</summary>
    public abstract bool TryReadToken(JsonToken token, TraceEvent e, Utf8StringCache strings);

    /// <summary>Sets the property from a CSV field's UTF-8 bytes.</summary>
    public abstract void ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, TraceEvent e, Utf8StringCache strings);

    public static EventProperty? Create(PropertyInfo info)
    {
        object? codec = ValueCodecs.For(info.PropertyType);
        if (codec is null)
            return null;
        Type generic = typeof(EventProperty<>).MakeGenericType(info.PropertyType);
        return (EventProperty)Activator.CreateInstance(generic, info, codec)!;
    }
}

internal sealed class EventProperty<T> : EventProperty
{
    private readonly Func<TraceEvent, T> _get;
    private readonly Action<TraceEvent, T>? _set;
    private readonly ValueCodec<T> _codec;

    public EventProperty(PropertyInfo info, ValueCodec<T> codec) : base(info)
    {
        _codec = codec;
        ParameterExpression e = Expression.Parameter(typeof(TraceEvent), "e");
        Expression typed = Expression.Convert(e, info.DeclaringType!);
        _get = Expression.Lambda<Func<TraceEvent, T>>(Expression.Property(typed, info), e).Compile();
        if (CanWrite)
        {
            ParameterExpression v = Expression.Parameter(typeof(T), "v");
            _set = Expression.Lambda<Action<TraceEvent, T>>(Expression.Assign(Expression.Property(typed, info), v), e, v).Compile();
        }
    }

    public T Get(TraceEvent e) => _get(e);

    public override Type Type => typeof(T);

    public override object? GetValue(TraceEvent e) => _get(e);

    public override void SetValue(TraceEvent e, object? value) => _set?.Invoke(e, (T)value!);

    public override void WriteJson(System.Text.Json.Utf8JsonWriter writer, TraceEvent e)
    {
        writer.WritePropertyName(JsonName);
        _codec.WriteJson(writer, _get(e));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ReadJson(ref System.Text.Json.Utf8JsonReader reader, TraceEvent e, Utf8StringCache strings)
    {
        T value = _codec.ReadJson(ref reader, strings);
        _set?.Invoke(e, value);
    }

    public override string? FormatText(TraceEvent e) => _codec.FormatText(_get(e));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadToken(JsonToken token, TraceEvent e, Utf8StringCache strings)
    {
        if (!_codec.TryReadToken(token, strings, out T value))
            return false;
        _set?.Invoke(e, value);
        return true;
    }

    public override void ParseText(string? text, TraceEvent e)
    {
        if (_set is not null)
            _set(e, _codec.ParseText(text));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ParseUtf8(ReadOnlySpan<byte> utf8, bool isNull, TraceEvent e, Utf8StringCache strings)
    {
        if (_set is not null)
            _set(e, _codec.ParseUtf8(utf8, isNull, strings));
    }
}
