using System.Text;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Runtime;

/// <summary>
/// Whether two declarations describe the same running thing: a network's devices, hosts and links (not its tokens or
/// priority, which only re-share the node), or a host. What decides whether <see cref="Hypervisor.Apply"/> may leave
/// a network, or a host's port, as it runs.
/// </summary>
internal static class NetworkShape
{
    public static bool Same(SoftwareNetwork a, SoftwareNetwork b) => Describe(a) == Describe(b);

    public static bool Same(HostSpec a, HostSpec b) => Describe(a) == Describe(b);

    public static bool Same(GatewaySpec a, GatewaySpec b) => Describe(a) == Describe(b);

    private static string Describe(GatewaySpec gateway) =>
        $"gateway {gateway.Name} {gateway.Tokens}\n" +
        string.Join('\n', gateway.Sides.Select(s => $"side {s.Network} {s.Interface}={string.Join(',', s.Addresses)} to {s.Endpoint} " +
            $"nat {string.Join(',', s.Nat.Select(n => $"{n.Real}>{n.Mapped}"))} {Routes(s.Routes)}")) + "\n" +
        string.Join('\n', gateway.Rules.Select(r => $"rule {r.From}>{r.To} {r.Source}>{r.Destination} {r.Protocol} {r.Ports?.First}-{r.Ports?.Last}")) + "\n" +
        string.Join('\n', gateway.Limits.Select(l => $"limit {l.From}>{l.To} {l.PacketsPerSecond} {l.BitsPerSecond} {l.Burst.Ticks}"));

    private static string Describe(SoftwareNetwork network)
    {
        var text = new StringBuilder().Append(network.Architecture).Append('\n');
        foreach (var device in network.Devices) text.Append(Describe(device)).Append('\n');
        foreach (var host in network.Hosts) text.Append(Describe(host)).Append('\n');
        foreach (var link in network.Links.Select(l => string.CompareOrdinal(l.A.ToString(), l.B.ToString()) <= 0 ? $"{l.A}--{l.B}" : $"{l.B}--{l.A}").Order(StringComparer.Ordinal))
            text.Append(link).Append('\n');
        return text.ToString();
    }

    private static string Describe(DeviceSpec device) => device switch
    {
        SwitchSpec s => $"switch {s.Name} " + string.Join(' ', s.SwitchPorts.Select(p => $"{p.Name}/{p.AccessVlan}/{string.Join(',', p.TrunkVlans)}/{p.Phy}")),
        RouterSpec r => $"router {r.Name} {Interfaces(r.Interfaces)} {Routes(r.Routes)}",
        LsrSpec l => $"lsr {l.Name} {Interfaces(l.Interfaces)} {Routes(l.Routes)} " +
            string.Join(' ', l.Labels.Select(b => $"{b.In}/{b.Action}/{b.Out}/{b.Via}/{b.Port}")),
        _ => $"{device.GetType().Name} {device.Name}",
    };

    private static string Describe(HostSpec host) =>
        $"host {host.Name} {string.Join(',', host.Addresses)} via {string.Join(',', host.Gateways)} {host.Phy}";

    private static string Interfaces(IReadOnlyList<InterfaceSpec> interfaces) =>
        string.Join(' ', interfaces.Select(i => $"{i.Name}={string.Join(',', i.Addresses)}/{i.Phy}"));

    private static string Routes(IReadOnlyList<StaticRoute> routes) =>
        string.Join(' ', routes.Select(r => $"{r.Prefix}>{r.Via}/{r.Port}/{string.Join(',', r.PushLabels)}"));
}
