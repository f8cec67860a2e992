using Xunit.Abstractions;

namespace PSSyscall.Module.Tests;

/// <summary>An It's Id as a theory argument: serializable, so every It is its own xunit case, and
/// shown whole ("File &gt; Describe &gt; It"), where a string argument would be cut at 50 characters.</summary>
public sealed class PesterCase : IXunitSerializable
{
    public PesterCase() { }

    public PesterCase(string id) => Id = id;

    public string Id { get; private set; } = "";

    public void Deserialize(IXunitSerializationInfo info) => Id = info.GetValue<string>(nameof(Id));

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Id), Id);

    public override string ToString() => Id;
}
