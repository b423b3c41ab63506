namespace Softnet.Devices.Gateway;

/// <summary>How a gateway's flow table is sized and aged.</summary>
public sealed record GatewayOptions
{
    /// <summary>Flows tracked at once; a new flow beyond them is dropped and counted as flow-table-full.</summary>
    public int FlowCapacity { get; init; } = 65_536;

    /// <summary>A flow that has seen no packet for this long is forgotten, and its replies no longer cross.</summary>
    public TimeSpan FlowIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
