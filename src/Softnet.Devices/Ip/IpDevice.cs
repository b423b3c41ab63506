using System.Globalization;
using Softnet.DataPlane;
using Softnet.Devices.Ip.Ipv4;
using Softnet.Devices.Ip.Ipv6;
using Softnet.Devices.Mpls;
using Softnet.Wire;

namespace Softnet.Devices.Ip;

/// <summary>
/// A device with an IPv4/IPv6 stack: routers, MPLS LSRs and emulated hosts. Builds the element graph
/// (ethernet-input, ip4-*/ip6-*, arp-input, ICMP errors, mpls-input) and offers the configuration every IP device has:
/// interfaces, addresses and routes.
/// </summary>
public abstract class IpDevice : Device
{
    private readonly EthernetInput _entry;
    private readonly Solicitor _solicitor;
    private readonly Icmp4Error _hostUnreachable4;
    private readonly Icmp6Error _addressUnreachable6;

    /// <param name="seal">Seal the graph once built; false leaves it open for a subclass that splices its own elements
    /// into the forwarding path (between <see cref="Ip4Lookup"/> and <see cref="Ip4Rewrite"/>, say) and then seals it.</param>
    protected IpDevice(string name, PacketPool pool, bool forwarding, bool mpls, bool seal = true) : base(name, pool)
    {
        Stack = new IpStack(this, forwarding);
        _solicitor = new Solicitor(Stack);
        var graph = Graph;
        _entry = graph.Add(new EthernetInput(this, mpls));
        var arp = graph.Add(new ArpInput(Stack));
        var ip4Input = graph.Add(new Ip4Input());
        Ip4Lookup = graph.Add(new Ip4Lookup(Stack));
        var ip4Local = graph.Add(new Ip4Local(Stack));
        Ip4Rewrite = graph.Add(new Ip4Rewrite(Stack, _solicitor));
        var ip4Fragment = graph.Add(new Ip4Fragment(this));
        var ip6Input = graph.Add(new Ip6Input());
        Ip6Lookup = graph.Add(new Ip6Lookup(Stack));
        var ip6Local = graph.Add(new Ip6Local(Stack));
        Ip6Rewrite = graph.Add(new Ip6Rewrite(Stack, _solicitor));
        Icmp4Error Icmp4(string what, byte type, byte code) => graph.Add(new Icmp4Error(Stack, $"ip4-icmp-{what}", type, code));
        Icmp6Error Icmp6(string what, byte type, byte code) => graph.Add(new Icmp6Error(Stack, $"ip6-icmp-{what}", type, code));
        var netUnreachable = Icmp4("net-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Net);
        var prohibited4 = Icmp4("admin-prohibited", Icmpv4Type.DestinationUnreachable, Icmpv4Code.AdminProhibited);
        var ttlExpired = Icmp4("ttl-expired", Icmpv4Type.TimeExceeded, Icmpv4Code.TtlExceeded);
        var fragNeeded = Icmp4("frag-needed", Icmpv4Type.DestinationUnreachable, Icmpv4Code.FragmentationNeeded);
        _hostUnreachable4 = Icmp4("host-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Host);
        var portUnreachable4 = Icmp4("port-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Port);
        var protocolUnreachable = Icmp4("protocol-unreachable", Icmpv4Type.DestinationUnreachable, Icmpv4Code.Protocol);
        var noRoute6 = Icmp6("no-route", Icmpv6Type.DestinationUnreachable, 0);
        var prohibited6 = Icmp6("admin-prohibited", Icmpv6Type.DestinationUnreachable, 1);
        var hopLimit = Icmp6("hop-limit-expired", Icmpv6Type.TimeExceeded, 0);
        var tooBig = Icmp6("packet-too-big", Icmpv6Type.PacketTooBig, 0);
        _addressUnreachable6 = Icmp6("address-unreachable", Icmpv6Type.DestinationUnreachable, 3);
        var portUnreachable6 = Icmp6("port-unreachable", Icmpv6Type.DestinationUnreachable, 4);
        var parameterProblem = Icmp6("unknown-next-header", Icmpv6Type.ParameterProblem, 1);

        graph.Connect(_entry, EthernetInput.Ipv4, ip4Input);
        graph.Connect(_entry, EthernetInput.Ipv6, ip6Input);
        graph.Connect(_entry, EthernetInput.Arp, arp);
        graph.Connect(arp, ArpInput.ReplyOut, Output);
        graph.Connect(arp, ArpInput.Resolved, Ip4Rewrite);
        graph.Connect(ip4Input, 0, Ip4Lookup);
        graph.Connect(Ip4Lookup, Ipv4.Ip4Lookup.Rewrite, Ip4Rewrite);
        graph.Connect(Ip4Lookup, Ipv4.Ip4Lookup.Local, ip4Local);
        graph.Connect(Ip4Lookup, Ipv4.Ip4Lookup.NoRoute, netUnreachable);
        graph.Connect(Ip4Lookup, Ipv4.Ip4Lookup.Reject, prohibited4);
        graph.Connect(ip4Local, Ip4Local.Reply, Ip4Lookup);
        graph.Connect(ip4Local, Ip4Local.PortUnreachable, portUnreachable4);
        graph.Connect(ip4Local, Ip4Local.ProtocolUnreachable, protocolUnreachable);
        graph.Connect(Ip4Rewrite, IpRewrite.Tx, Output);
        graph.Connect(Ip4Rewrite, IpRewrite.TtlExpired, ttlExpired);
        graph.Connect(Ip4Rewrite, IpRewrite.TooBig, fragNeeded);
        graph.Connect(Ip4Rewrite, IpRewrite.Unreachable, _hostUnreachable4);
        graph.Connect(Ip4Rewrite, Ipv4.Ip4Rewrite.Fragment, ip4Fragment);
        graph.Connect(ip4Fragment, 0, Ip4Rewrite);
        foreach (var error in new[] { netUnreachable, prohibited4, ttlExpired, fragNeeded, _hostUnreachable4, portUnreachable4, protocolUnreachable })
        {
            graph.Connect(error, 0, Ip4Lookup);
        }

        graph.Connect(ip6Input, 0, Ip6Lookup);
        graph.Connect(Ip6Lookup, Ipv6.Ip6Lookup.Rewrite, Ip6Rewrite);
        graph.Connect(Ip6Lookup, Ipv6.Ip6Lookup.Local, ip6Local);
        graph.Connect(Ip6Lookup, Ipv6.Ip6Lookup.NoRoute, noRoute6);
        graph.Connect(Ip6Lookup, Ipv6.Ip6Lookup.Reject, prohibited6);
        graph.Connect(ip6Local, Ip6Local.Reply, Ip6Lookup);
        graph.Connect(ip6Local, Ip6Local.Tx, Output);
        graph.Connect(ip6Local, Ip6Local.Resolved, Ip6Rewrite);
        graph.Connect(ip6Local, Ip6Local.PortUnreachable, portUnreachable6);
        graph.Connect(ip6Local, Ip6Local.UnknownNextHeader, parameterProblem);
        graph.Connect(Ip6Rewrite, IpRewrite.Tx, Output);
        graph.Connect(Ip6Rewrite, IpRewrite.TtlExpired, hopLimit);
        graph.Connect(Ip6Rewrite, IpRewrite.TooBig, tooBig);
        graph.Connect(Ip6Rewrite, IpRewrite.Unreachable, _addressUnreachable6);
        foreach (var error in new[] { noRoute6, prohibited6, hopLimit, tooBig, _addressUnreachable6, portUnreachable6, parameterProblem })
        {
            graph.Connect(error, 0, Ip6Lookup);
        }

        if (mpls)
        {
            Labels = new LabelTable(Stack);
            var mplsInput = graph.Add(new MplsInput(Labels, _solicitor));
            graph.Connect(_entry, EthernetInput.Mpls, mplsInput);
            graph.Connect(mplsInput, MplsInput.Tx, Output);
            graph.Connect(mplsInput, MplsInput.Ipv4, ip4Input);
            graph.Connect(mplsInput, MplsInput.Ipv6, ip6Input);
            graph.Connect(mplsInput, MplsInput.Again, mplsInput);
        }
        if (seal) graph.Seal();
    }

    public IpStack Stack { get; }

    /// <summary>The label forwarding table (LFIB), on devices that switch MPLS.</summary>
    public LabelTable? Labels { get; }

    protected override Element Entry => _entry;
    protected Ip4Lookup Ip4Lookup { get; }
    protected Ip6Lookup Ip6Lookup { get; }
    protected Ip4Rewrite Ip4Rewrite { get; }
    protected Ip6Rewrite Ip6Rewrite { get; }

    /// <summary>Adds a port with a MAC derived from the device name (or the one given).</summary>
    public DevicePort AddInterface(string name, MacAddress? mac = null)
    {
        var port = AddPort(name, mac ?? MacAddresses.For(Name, Ports.Count));
        Stack.AddInterface(port.Index, port.Mac);
        Stack.Fib6.Add(new Ipv6Prefix(Stack.Interface(port.Index).LinkLocal, 128), (ushort)Stack.LocalEntryId);
        return port;
    }

    /// <summary>Gives a port an address written as address/length, IPv4 ("10.0.1.1/24") or IPv6 ("2001:db8:1::1/64").</summary>
    public void AddAddress(string port, string addressWithLength)
    {
        var index = Port(port).Index;
        var slash = addressWithLength.IndexOf('/');
        if (slash < 0 || !int.TryParse(addressWithLength.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new FormatException($"'{addressWithLength}' is not an interface address (expected address/length such as 10.0.1.1/24).");
        }
        var text = addressWithLength.AsSpan(0, slash);
        if (Ipv4Address.TryParse(text, out var v4) && length <= 32) Stack.AddAddress(index, v4, length);
        else if (Ipv6Address.TryParse(text, out var v6) && length <= 128) Stack.AddAddress(index, v6, length);
        else throw new FormatException($"'{addressWithLength}' is not an interface address (expected address/length such as 10.0.1.1/24 or 2001:db8::1/64).");
    }

    /// <summary>Configures a neighbour's MAC on a port (a static ARP or ND entry), IPv4 or IPv6.</summary>
    public void AddStaticNeighbor(string port, string address, MacAddress mac)
    {
        var index = Port(port).Index;
        if (Ipv4Address.TryParse(address, out var v4)) Stack.AddStaticNeighbor(index, IpFamily.Ipv4, v4.Value, mac);
        else if (Ipv6Address.TryParse(address, out var v6)) Stack.AddStaticNeighbor(index, IpFamily.Ipv6, v6.Value, mac);
        else throw new FormatException($"'{address}' is not an IPv4 or IPv6 address.");
    }

    /// <summary>Adds a static route through one or more (ECMP) gateways, each reached out of a named port.</summary>
    public void AddRoute(Ipv4Prefix prefix, params (string Port, Ipv4Address Gateway)[] nextHops) =>
        Stack.AddRoute(prefix, nextHops.Select(h => (Port(h.Port).Index, h.Gateway)));

    public void AddRoute(Ipv6Prefix prefix, params (string Port, Ipv6Address Gateway)[] nextHops) =>
        Stack.AddRoute(prefix, nextHops.Select(h => (Port(h.Port).Index, h.Gateway)));

    /// <summary>Resends solicitations for neighbours still unresolved; gives up on those that never answered.</summary>
    protected override void OnTick()
    {
        var resolving = Stack.Resolving;
        for (var i = resolving.Count - 1; i >= 0; i--)
        {
            var neighbor = resolving[i];
            if (Now - neighbor.LastSolicited < TicksPerSecond * (long)IpStack.RetransmitTime.TotalSeconds) continue;
            if (neighbor.Attempts >= IpStack.MaxSolicitations)
            {
                Stack.Fail(neighbor);
                Element unreachable = neighbor.Family == IpFamily.Ipv4 ? _hostUnreachable4 : _addressUnreachable6;
                while (neighbor.TryDequeue(out var waiting)) Graph.Enqueue(unreachable, waiting);
            }
            else if (_solicitor.TryBuild(Pool, neighbor, out var request))
            {
                Stack.Solicited(neighbor, Now);
                Graph.Enqueue(Output, request);
            }
        }
    }
}
