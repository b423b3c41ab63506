using System.Buffers.Binary;
using Softnet.DataPlane;
using Softnet.Devices.Ip;
using Softnet.Devices.Mpls;
using Softnet.Wire;

namespace Softnet.Fuzz;

/// <summary>
/// The <c>router</c> and <c>lsr</c> targets: r1 with eth0 (10.0.1.1/24, 2001:db8:1::1/64) towards host h1 and eth1
/// (10.0.2.1/24, 2001:db8:2::1/64, MTU 1280) towards router r2, both neighbours static; routes through r2, an ECMP
/// route over both, a reject and a blackhole route. As an LSR it also swaps, pops (PHP), pops and routes, and pushes.
/// </summary>
/// <remarks>
/// Each input is delivered on the port picked by the last bit of its source MAC: as it is (the MAC filter sees
/// it), then addressed to the port's MAC, then with the EtherType forced to IPv4, IPv6, ARP and MPLS in turn. Then
/// time passes until every neighbour the input made the device resolve (on the connected subnets) has failed and
/// released the packets waiting for it as ICMP unreachables, and those errors, which may wait for a neighbour in
/// turn, have gone too; then the pool must be whole again.
/// </remarks>
internal sealed class IpDeviceTarget : DeviceTarget
{
    public static readonly MacAddress H1Mac = MacAddress.Parse("02:00:00:00:00:0a");
    public static readonly MacAddress R2Mac = MacAddress.Parse("02:00:00:00:00:0b");
    public static readonly Ipv4Address H1 = Ipv4Address.Parse("10.0.1.10");
    public static readonly Ipv4Address R2 = Ipv4Address.Parse("10.0.2.2");
    public static readonly Ipv6Address H1v6 = Ipv6Address.Parse("2001:db8:1::10");
    public static readonly Ipv6Address R2v6 = Ipv6Address.Parse("2001:db8:2::2");

    /// <summary>The longest a packet waits for a neighbour that never answers.</summary>
    private static readonly TimeSpan ResolutionTimeout = IpStack.MaxSolicitations * IpStack.RetransmitTime;

    private static readonly ushort[] ForcedEtherTypes = [EtherType.Ipv4, EtherType.Ipv6, EtherType.Arp, EtherType.Mpls];

    private readonly IpDevice _device;
    private readonly byte[] _frame;

    public IpDeviceTarget(bool mpls) : base(poolCapacity: 512)
    {
        _frame = new byte[Pool.MaxFrameLength];
        _device = mpls ? new Lsr("r1", Pool) : new Router("r1", Pool);
        Loop.Add(_device);
        Wire(_device.AddInterface("eth0"));
        Wire(_device.AddInterface("eth1"));
        _device.Port("eth1").Mtu = 1280;
        _device.AddAddress("eth0", "10.0.1.1/24");
        _device.AddAddress("eth0", "2001:db8:1::1/64");
        _device.AddAddress("eth1", "10.0.2.1/24");
        _device.AddAddress("eth1", "2001:db8:2::1/64");
        _device.AddStaticNeighbor("eth0", H1.ToString(), H1Mac);
        _device.AddStaticNeighbor("eth0", H1v6.ToString(), H1Mac);
        _device.AddStaticNeighbor("eth1", R2.ToString(), R2Mac);
        _device.AddStaticNeighbor("eth1", R2v6.ToString(), R2Mac);
        _device.AddRoute(Ipv4Prefix.Parse("198.51.100.0/24"), ("eth1", R2));
        _device.AddRoute(Ipv4Prefix.Parse("203.0.113.0/24"), ("eth0", H1), ("eth1", R2));
        _device.AddRoute(Ipv6Prefix.Parse("2001:db8:100::/48"), ("eth1", R2v6));
        _device.AddRoute(Ipv6Prefix.Parse("2001:db8:200::/48"), ("eth0", H1v6), ("eth1", R2v6));
        _device.Stack.AddDiscardRoute(Ipv4Prefix.Parse("192.0.2.0/25"), ForwardingKind.Reject);
        _device.Stack.AddDiscardRoute(Ipv4Prefix.Parse("192.0.2.128/25"), ForwardingKind.Blackhole);
        _device.Stack.AddDiscardRoute(Ipv6Prefix.Parse("2001:db8:dead::/48"), ForwardingKind.Reject);
        if (_device is Lsr lsr)
        {
            lsr.AddLabelSwap(new MplsLabel(100), new MplsLabel(200), "eth1", R2);
            lsr.AddLabelSwap(new MplsLabel(101), MplsLabel.ImplicitNull, "eth0", H1);
            lsr.AddLabelPopAndLookup(new MplsLabel(102));
            lsr.AddLabelSwap(new MplsLabel(103), new MplsLabel(203), "eth1", R2v6);
            lsr.AddLabelledRoute(Ipv4Prefix.Parse("198.18.0.0/15"), "eth1", R2, new MplsLabel(300));
            lsr.AddLabelledRoute(Ipv6Prefix.Parse("2001:db8:300::/48"), "eth1", R2v6, new MplsLabel(301));
        }
    }

    public override void Run(ReadOnlySpan<byte> input)
    {
        var length = Math.Min(input.Length, _frame.Length);
        var port = length > 11 ? input[11] & 1 : 0;
        var frame = _frame.AsSpan(0, length);
        input[..length].CopyTo(frame);
        Deliver(port, frame);
        if (length >= MacAddress.Size)
        {
            _device.PortAt(port).Mac.WriteTo(frame);
            Deliver(port, frame);
        }
        if (length >= EthernetFrame.HeaderLength)
        {
            foreach (var etherType in ForcedEtherTypes)
            {
                BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
                Deliver(port, frame);
            }
        }
        Settle(2 * ResolutionTimeout + TimeSpan.FromSeconds(1));
    }
}
