using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Wire;

namespace Softnet.Devices.Mpls;

/// <summary>
/// An MPLS label switching router: an IP router that also switches labelled packets through its
/// <see cref="LabelTable"/>. As an ingress LER it pushes labels on routes bound to a label; as a core LSR it swaps;
/// as the penultimate hop it pops; as an egress LER it pops and routes the IP packet.
/// </summary>
public sealed class Lsr(string name, PacketPool pool) : IpDevice(name, pool, forwarding: true, mpls: true)
{
    public override string Kind => "lsr";

    public LabelTable LabelTable => Labels!;

    /// <summary>Swaps <paramref name="incoming"/> for <paramref name="outgoing"/> towards a next hop (implicit null pops: PHP).</summary>
    public void AddLabelSwap(MplsLabel incoming, MplsLabel outgoing, string port, Ipv4Address nextHop) =>
        LabelTable.Swap(incoming, outgoing, Port(port).Index, IpFamily.Ipv4, nextHop.Value);

    public void AddLabelSwap(MplsLabel incoming, MplsLabel outgoing, string port, Ipv6Address nextHop) =>
        LabelTable.Swap(incoming, outgoing, Port(port).Index, IpFamily.Ipv6, nextHop.Value);

    /// <summary>Pops <paramref name="incoming"/> and routes what was under it here (egress).</summary>
    public void AddLabelPopAndLookup(MplsLabel incoming) => LabelTable.PopAndLookup(incoming);

    /// <summary>Routes <paramref name="prefix"/> into a label-switched path: push <paramref name="label"/> towards the next hop (ingress).</summary>
    public void AddLabelledRoute(Ipv4Prefix prefix, string port, Ipv4Address nextHop, MplsLabel label) =>
        Stack.AddRoute(prefix, [(Port(port).Index, nextHop, (MplsLabel?)label)]);

    public void AddLabelledRoute(Ipv6Prefix prefix, string port, Ipv6Address nextHop, MplsLabel label) =>
        Stack.AddRoute(prefix, [(Port(port).Index, nextHop, (MplsLabel?)label)]);
}
