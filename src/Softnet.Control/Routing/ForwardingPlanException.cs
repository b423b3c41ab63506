namespace Softnet.Control.Routing;

/// <summary>A software network that cannot be planned, naming the network and, when one is at fault, the device or host and its port.</summary>
public sealed class ForwardingPlanException(string network, string? device, string? port, string problem)
    : Exception($"network '{network}': {(device is null ? "" : port is null ? $"{device}: " : $"{device}:{port}: ")}{problem}")
{
    public string Network { get; } = network;
    public string? Device { get; } = device;
    public string? Port { get; } = port;
}
