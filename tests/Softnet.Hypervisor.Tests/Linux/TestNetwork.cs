using Softnet.DataPlane;
using Softnet.Hypervisor.Linux;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Linux;

/// <summary>A software network with a random name whose hosts are attached by <see cref="LinuxHostPorts"/>; disposing it disposes their ports and detaches them.</summary>
internal sealed class TestNetwork : IDisposable
{
    private readonly LinuxHostPorts _provider = new();
    private readonly List<(HostSpec Host, IPhysicalPort Port)> _attached = [];

    public SoftwareNetwork Network { get; } =
        new($"t{Random.Shared.Next(0x10000):x4}", NetworkArchitecture.Ipv4, 1, PriorityKind.None, [], [], []);

    public static HostSpec Host(string name, string[] addresses, string[] gateways) =>
        new(name, [.. addresses.Select(Address)], [.. gateways.Select(Gateway)], null);

    public IPhysicalPort Attach(HostSpec host, PhysicalPortKind kind, PacketPool pool)
    {
        var port = _provider.Attach(Network, host, kind, pool);
        _attached.Add((host, port));
        return port;
    }

    public string Namespace(string host) => HostNames.Namespace(Network.Name, host);

    /// <summary>Runs <paramref name="command"/> inside the namespace of <paramref name="host"/>; returns its output.</summary>
    public string Exec(string host, params string[] command) => Ip.Run(["netns", "exec", Namespace(host), .. command]);

    public void Dispose()
    {
        foreach (var (host, port) in _attached)
        {
            port.Dispose();
            _provider.Detach(Network, host);
        }
    }

    private static InterfaceAddress Address(string text) =>
        InterfaceAddress.TryParse(text, out var address) ? address : throw new ArgumentException(text);

    private static IpAddress Gateway(string text) =>
        IpAddress.TryParse(text, out var address) ? address : throw new ArgumentException(text);
}
