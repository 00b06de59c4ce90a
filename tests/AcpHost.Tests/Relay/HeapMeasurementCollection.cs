namespace AcpHost.Tests.Relay;

/// <summary>
/// Memory is measured with the managed heap of this process, so these tests run alone (other tests running beside
/// them would allocate at the same time).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurement";
}
