// The fuzz project (fuzz/Softnet.Fuzz) compiles this file too, for WireFuzzTarget; it defines SOFTNET_FUZZ and has no xunit.
namespace Softnet.Wire.Tests;

#if !SOFTNET_FUZZ
/// <summary>
/// Replays every seed of <c>fuzz/corpus/wire</c> and every saved finding of <c>fuzz/crashes/wire</c> through the
/// <c>wire</c> fuzz target, so that the suite keeps what fuzzing found without running the fuzzer.
/// </summary>
public sealed class FuzzCorpusTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "fuzz/corpus/wire", "fuzz/crashes/wire" })
        {
            var path = Path.Combine(Root, folder);
            if (!Directory.Exists(path)) continue;
            foreach (var file in Directory.GetFiles(path).Order(StringComparer.Ordinal)) data.Add(Path.GetRelativePath(Root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_keeps_every_wire_invariant(string file) => WireFuzzTarget.Run(File.ReadAllBytes(Path.Combine(Root, file)));

    [Fact]
    public void Every_fixture_frame_is_a_seed()
    {
        var seeds = Directory.GetFiles(Path.Combine(Root, "fuzz/corpus/wire")).Select(f => Convert.ToHexString(File.ReadAllBytes(f))).ToHashSet();

        foreach (var (name, frame) in Fixtures.EthernetFrames)
        {
            Assert.True(seeds.Contains(Convert.ToHexString(frame)), $"fuzz/corpus/wire has no seed holding the {name} fixture (regenerate the seeds: dotnet run --project fuzz/Softnet.Fuzz -- seeds fuzz/corpus).");
        }
    }

    [Theory]
    [InlineData(nameof(Fixtures.ArpRequest), "ethernet arp")]
    [InlineData(nameof(Fixtures.IcmpAdminProhibited), "ethernet ipv4 icmpv4")]
    [InlineData(nameof(Fixtures.QinQHead), "ethernet vlan vlan")]
    [InlineData(nameof(Fixtures.VlanTcpHead), "ethernet vlan")]
    [InlineData(nameof(Fixtures.NeighborSolicitation), "ethernet ipv6 icmpv6 ndp")]
    [InlineData(nameof(Fixtures.MldWithHopByHop), "ethernet ipv6 icmpv6")]
    [InlineData(nameof(Fixtures.TcpSyn), "ethernet ipv4 tcp")]
    [InlineData(nameof(Fixtures.DnsQuery), "ethernet ipv4 udp")]
    [InlineData(nameof(Fixtures.MplsTwoLabels), "ethernet mpls ipv4 icmpv4")]
    [InlineData(nameof(Fixtures.Vxlan), "ethernet ipv4 udp vxlan ethernet ipv4 icmpv4")]
    public void The_walk_follows_the_layers_a_receiver_would(string fixture, string layers)
    {
        var frame = Fixtures.EthernetFrames.Single(f => f.Name == fixture).Frame;

        Assert.Equal(layers, string.Join(' ', WireFuzzTarget.Layers(frame)));
    }

    [Fact]
    public void A_truncated_total_length_stops_the_walk_at_ethernet()
    {
        var frame = Fixtures.TcpSyn;
        frame[16] = 0x05; // total length 0x053c: longer than the frame

        Assert.Equal(["ethernet"], WireFuzzTarget.Layers(frame));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Softnet.slnx"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No Softnet.slnx above {AppContext.BaseDirectory}: the corpus is found from the repository root.");
    }
}
#endif

/// <summary>
/// The <c>wire</c> fuzz target. It takes the bytes as a received frame and walks the layers as a receiver would:
/// Ethernet, 802.1Q/802.1ad tags, then ARP, IPv4, IPv6 (through its extension headers) or an MPLS stack, then ICMP,
/// NDP, UDP and TCP, and on UDP port 4789 VXLAN and the inner Ethernet frame. The same bytes are also read as each
/// header on its own, so that every parser sees them from offset 0. Every view accepted by its checked constructor
/// is read through all its accessors; an accepted Repr, emitted and parsed again, must be equal; a checksum filled in
/// must verify, and an incrementally updated one must equal a full recomputation. The IP and UDP checksums are not
/// required to go deeper, so that the fuzzer need not forge them to reach the layers below.
/// </summary>
/// <remarks>A broken invariant throws <see cref="WireInvariantException"/>; any other exception is a parser bug.</remarks>
public static class WireFuzzTarget
{
    /// <summary>Runs the walk and every invariant over <paramref name="input"/>.</summary>
    public static void Run(ReadOnlySpan<byte> input) => Walk(input, null);

    /// <summary>Runs the walk and returns the headers the receiver walk parsed, outermost first.</summary>
    public static IReadOnlyList<string> Layers(ReadOnlySpan<byte> input)
    {
        var layers = new List<string>();
        Walk(input, layers);
        return layers;
    }

    private static void Walk(ReadOnlySpan<byte> input, List<string>? layers)
    {
        var bytes = input.ToArray();
        new WireWalk(layers).Ethernet(bytes);

        var probe = new WireWalk(null);
        var v4 = IpEndpoints.Ipv4(new Ipv4Address(192, 0, 2, 1), new Ipv4Address(198, 51, 100, 1));
        var v6 = IpEndpoints.Ipv6(Ipv6Address.Parse("2001:db8::1"), Ipv6Address.Parse("2001:db8::2"));
        probe.Vlan(bytes, out _, out _);
        probe.Arp(bytes);
        probe.Mpls(bytes);
        probe.Ipv4(bytes);
        probe.Ipv6(bytes);
        probe.Icmpv4(bytes);
        probe.Icmpv6(bytes, v6);
        probe.Ndp(bytes, v6);
        probe.Udp(bytes, v4);
        probe.Udp(bytes, v6);
        probe.Tcp(bytes, v4);
        probe.Tcp(bytes, v6);
        probe.Vxlan(bytes);
        WireWalk.Check(input.SequenceEqual(bytes), "walk", "parsing changed the received bytes");
    }
}

/// <summary>An invariant of the wire layer that a fuzzed input broke.</summary>
public sealed class WireInvariantException(string message) : Exception(message);

/// <summary>The addresses of the IP header a transport segment came in, for its pseudo-header checksum.</summary>
internal readonly struct IpEndpoints
{
    private readonly Ipv4Address _source4, _destination4;
    private readonly Ipv6Address _source6, _destination6;
    private readonly bool _isIpv6;

    private IpEndpoints(Ipv4Address source4, Ipv4Address destination4, Ipv6Address source6, Ipv6Address destination6, bool isIpv6)
    {
        (_source4, _destination4, _source6, _destination6, _isIpv6) = (source4, destination4, source6, destination6, isIpv6);
    }

    public static IpEndpoints Ipv4(Ipv4Address source, Ipv4Address destination) => new(source, destination, default, default, false);

    public static IpEndpoints Ipv6(Ipv6Address source, Ipv6Address destination) => new(default, default, source, destination, true);

    public Ipv6Address Source6 => _source6;
    public Ipv6Address Destination6 => _destination6;

    public bool Verify(UdpPacket udp) => _isIpv6 ? udp.VerifyChecksum(_source6, _destination6) : udp.VerifyChecksum(_source4, _destination4);

    public bool Verify(TcpPacket tcp) => _isIpv6 ? tcp.VerifyChecksum(_source6, _destination6) : tcp.VerifyChecksum(_source4, _destination4);

    public void Fill(UdpPacket udp)
    {
        if (_isIpv6) udp.FillChecksum(_source6, _destination6);
        else udp.FillChecksum(_source4, _destination4);
    }

    public void Fill(TcpPacket tcp)
    {
        if (_isIpv6) tcp.FillChecksum(_source6, _destination6);
        else tcp.FillChecksum(_source4, _destination4);
    }

    public bool TryParse(UdpPacket udp, out UdpRepr repr) =>
        _isIpv6 ? UdpRepr.TryParse(udp, _source6, _destination6, out repr) : UdpRepr.TryParse(udp, _source4, _destination4, out repr);

    public bool TryParse(TcpPacket tcp, out TcpRepr repr) =>
        _isIpv6 ? TcpRepr.TryParse(tcp, _source6, _destination6, out repr) : TcpRepr.TryParse(tcp, _source4, _destination4, out repr);

    public void Emit(UdpRepr repr, UdpPacket udp)
    {
        if (_isIpv6) repr.Emit(udp, _source6, _destination6);
        else repr.Emit(udp, _source4, _destination4);
    }

    public void Emit(TcpRepr repr, TcpPacket tcp)
    {
        if (_isIpv6) repr.Emit(tcp, _source6, _destination6);
        else repr.Emit(tcp, _source4, _destination4);
    }
}

/// <summary>One walk over one input. Parses only the input and writes only into copies of it.</summary>
internal sealed class WireWalk(List<string>? layers)
{
    /// <summary>VXLAN in VXLAN is followed this many times; deeper nesting is left unparsed.</summary>
    private const int MaxTunnelDepth = 4;

    private int _tunnelDepth;

    public static void Check(bool condition, string layer, string what)
    {
        if (!condition) throw new WireInvariantException($"{layer}: {what}");
    }

    public void Ethernet(Span<byte> bytes)
    {
        if (!EthernetFrame.TryCreate(bytes, out var frame)) return;
        layers?.Add("ethernet");
        _ = (frame.Destination.IsMulticast, frame.Source.IsBroadcast);
        Check(frame.Payload.Length == bytes.Length - EthernetFrame.HeaderLength, "ethernet", "the payload is not the rest of the frame");
        Check(EthernetRepr.TryParse(frame, out var repr), "ethernet", "a header was refused");
        var copy = new byte[repr.HeaderLength];
        repr.Emit(EthernetFrame.CreateUnchecked(copy));
        Check(copy.AsSpan().SequenceEqual(bytes[..EthernetFrame.HeaderLength]), "ethernet", "the emitted header differs from the parsed one");

        var etherType = frame.EtherType;
        var payload = frame.Payload;
        while (etherType is EtherType.Vlan or EtherType.QinQ)
        {
            if (!Vlan(payload, out etherType, out payload)) return;
        }
        switch (etherType)
        {
            case EtherType.Ipv4: Ipv4(payload); break;
            case EtherType.Ipv6: Ipv6(payload); break;
            case EtherType.Arp: Arp(payload); break;
            case EtherType.Mpls or EtherType.MplsMulticast: Mpls(payload); break;
        }
    }

    /// <summary>Parses one tag; false when the receiver stops here (too short, or the reserved VLAN 4095).</summary>
    public bool Vlan(Span<byte> bytes, out ushort etherType, out Span<byte> payload)
    {
        etherType = 0;
        payload = default;
        if (!VlanHeader.TryCreate(bytes, out var tag)) return false;
        layers?.Add("vlan");
        _ = (tag.Tci, tag.Priority, tag.DropEligible, tag.VlanId);
        if (!VlanRepr.TryParse(tag, out var repr)) return false;
        var copy = new byte[repr.HeaderLength];
        repr.Emit(VlanHeader.CreateUnchecked(copy));
        Check(copy.AsSpan().SequenceEqual(bytes[..VlanHeader.Size]), "vlan", "the emitted tag differs from the parsed one");
        Check(VlanRepr.TryParse(VlanHeader.CreateUnchecked(copy), out var again) && again == repr, "vlan", "the emitted tag parses differently");
        etherType = tag.EtherType;
        payload = tag.Payload;
        return true;
    }

    public void Arp(Span<byte> bytes)
    {
        if (!ArpPacket.TryCreate(bytes, out var arp)) return;
        layers?.Add("arp");
        _ = (arp.HardwareType, arp.ProtocolType, arp.HardwareLength, arp.ProtocolLength, arp.Operation,
            arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.TargetHardwareAddress, arp.TargetProtocolAddress);
        if (!ArpRepr.TryParse(arp, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(ArpPacket.CreateUnchecked(copy));
        Check(copy.AsSpan().SequenceEqual(bytes[..ArpPacket.Size]), "arp", "the emitted packet differs from the parsed one");
        Check(ArpRepr.TryParse(ArpPacket.CreateUnchecked(copy), out var again) && again == repr, "arp", "the emitted packet parses differently");
    }

    public void Mpls(Span<byte> bytes)
    {
        if (MplsHeader.TryCreate(bytes, out var top)) _ = (top.Label, top.TrafficClass, top.BottomOfStack, top.TimeToLive, top.Payload.Length);
        if (!MplsStack.TryGetDepth(bytes, out var depth)) return;
        layers?.Add("mpls");
        Check(depth is >= 1 and <= MplsStack.MaxDepth && depth * MplsHeader.Size <= bytes.Length, "mpls", $"depth {depth} is outside the stack");
        for (var i = 0; i < depth; i++)
        {
            Check(MplsHeader.TryCreate(bytes[(i * MplsHeader.Size)..], out var header), "mpls", $"entry {i} of a stack of {depth} was refused");
            Check(MplsRepr.TryParse(header, out var repr), "mpls", "an entry was refused");
            Check(repr.BottomOfStack == (i == depth - 1), "mpls", $"entry {i} disagrees with the stack depth {depth} about the bottom of stack");
            var copy = new byte[repr.HeaderLength];
            repr.Emit(MplsHeader.CreateUnchecked(copy));
            Check(copy.AsSpan().SequenceEqual(bytes.Slice(i * MplsHeader.Size, MplsHeader.Size)), "mpls", "the emitted entry differs from the parsed one");
        }
        var payload = bytes[(depth * MplsHeader.Size)..];
        if (payload.IsEmpty) return;
        switch (payload[0] >> 4)
        {
            case 4: Ipv4(payload); break;
            case 6: Ipv6(payload); break;
        }
    }

    public void Ipv4(Span<byte> bytes)
    {
        if (bytes.Length >= Ipv4Packet.MinHeaderLength) Touch(Ipv4Packet.CreateUnchecked(bytes));
        if (!Ipv4Packet.TryCreate(bytes, out var ip)) return;
        layers?.Add("ipv4");
        Touch(ip);
        Check(ip.HeaderLength is >= Ipv4Packet.MinHeaderLength and <= Ipv4Packet.MaxHeaderLength, "ipv4", $"header length {ip.HeaderLength}");
        Check(ip.Options.Length == ip.HeaderLength - Ipv4Packet.MinHeaderLength, "ipv4", "the options do not fill the header");
        Check(ip.Payload.Length == ip.TotalLength - ip.HeaderLength, "ipv4", "the payload does not end at the total length");

        var filled = Ipv4Packet.CreateUnchecked(ip.Header.ToArray());
        filled.FillChecksum();
        Check(filled.VerifyChecksum(), "ipv4", "the header checksum does not verify after FillChecksum");
        if (ip.VerifyChecksum()) IncrementalUpdates(ip);

        if (Ipv4Repr.TryParse(ip, out var repr))
        {
            var copy = new byte[repr.BufferLength];
            ip.Payload.CopyTo(copy.AsSpan(repr.HeaderLength));
            repr.Emit(Ipv4Packet.CreateUnchecked(copy));
            Check(Ipv4Packet.TryCreate(copy, out var again) && Ipv4Repr.TryParse(again, out var reparsed) && reparsed == repr, "ipv4", "the emitted packet parses differently");
        }
        // A receiver reads the transport header of a whole datagram or of a first fragment; later fragments carry none.
        if (ip.Version != 4 || ip.FragmentOffset != 0) return;
        var ips = IpEndpoints.Ipv4(ip.Source, ip.Destination);
        switch (ip.Protocol)
        {
            case IpProtocol.Icmp: Icmpv4(ip.Payload); break;
            case IpProtocol.Udp: Udp(ip.Payload, ips); break;
            case IpProtocol.Tcp: Tcp(ip.Payload, ips); break;
        }
    }

    /// <summary>
    /// RFC 1624 updates of a header with a valid checksum leave it valid, and equal to a full recomputation unless the
    /// checksum was 0xFFFF: a valid one's complement zero that no computation yields, from which eqn. 3 keeps 0xFFFF.
    /// </summary>
    private static void IncrementalUpdates(Ipv4Packet ip)
    {
        var header = Ipv4Packet.CreateUnchecked(ip.Header.ToArray());
        var canonical = header.HeaderChecksum != 0xFFFF;
        if (header.TimeToLive > 0)
        {
            header.DecrementTtl();
            CheckUpdated(header, "DecrementTtl", canonical);
        }
        var (source, destination) = (header.Source, header.Destination);
        header.SetSourceIncremental(destination);
        CheckUpdated(header, "SetSourceIncremental", canonical);
        header.SetDestinationIncremental(source);
        CheckUpdated(header, "SetDestinationIncremental", canonical);
    }

    private static void CheckUpdated(Ipv4Packet header, string update, bool canonical)
    {
        Check(header.VerifyChecksum(), "ipv4", $"the header checksum does not verify after {update}");
        if (!canonical) return;
        var incremental = header.HeaderChecksum;
        var copy = Ipv4Packet.CreateUnchecked(header.Header.ToArray());
        copy.FillChecksum();
        Check(copy.HeaderChecksum == incremental, "ipv4", $"{update} gave checksum {incremental:x4}, a recomputation {copy.HeaderChecksum:x4}");
    }

    private static void Touch(Ipv4Packet ip) =>
        _ = (ip.Version, ip.HeaderLength, ip.Dscp, ip.Ecn, ip.TotalLength, ip.Identification, ip.DontFragment, ip.MoreFragments,
            ip.FragmentOffset, ip.IsFragment, ip.TimeToLive, ip.Protocol, ip.HeaderChecksum, ip.Source, ip.Destination,
            ip.Header.Length, ip.Options.Length, ip.Payload.Length, ip.VerifyChecksum());

    public void Ipv6(Span<byte> bytes)
    {
        if (bytes.Length >= Ipv6Packet.HeaderLength) Touch(Ipv6Packet.CreateUnchecked(bytes));
        if (!Ipv6Packet.TryCreate(bytes, out var ip)) return;
        layers?.Add("ipv6");
        Touch(ip);
        Check(ip.Payload.Length == ip.PayloadLength, "ipv6", "the payload does not end at the payload length");
        if (!Ipv6Repr.TryParse(ip, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        ip.Payload.CopyTo(copy.AsSpan(repr.HeaderLength));
        repr.Emit(Ipv6Packet.CreateUnchecked(copy));
        Check(copy.AsSpan(0, Ipv6Packet.HeaderLength).SequenceEqual(bytes[..Ipv6Packet.HeaderLength]), "ipv6", "the emitted header differs from the parsed one");
        Check(Ipv6Packet.TryCreate(copy, out var again) && Ipv6Repr.TryParse(again, out var reparsed) && reparsed == repr, "ipv6", "the emitted packet parses differently");

        if (!ip.TryFindUpperLayer(out var protocol, out var offset)) return;
        var end = Ipv6Packet.HeaderLength + ip.PayloadLength;
        Check(offset >= Ipv6Packet.HeaderLength && offset <= end, "ipv6", $"upper-layer offset {offset} is outside the payload");
        var upper = bytes[offset..end];
        var ips = IpEndpoints.Ipv6(ip.Source, ip.Destination);
        switch (protocol)
        {
            case IpProtocol.Icmpv6: Icmpv6(upper, ips); break;
            case IpProtocol.Udp: Udp(upper, ips); break;
            case IpProtocol.Tcp: Tcp(upper, ips); break;
        }
    }

    private static void Touch(Ipv6Packet ip) =>
        _ = (ip.Version, ip.TrafficClass, ip.FlowLabel, ip.PayloadLength, ip.NextHeader, ip.HopLimit, ip.Source, ip.Destination,
            ip.Payload.Length, ip.TryFindUpperLayer(out _, out _));

    public void Icmpv4(Span<byte> bytes)
    {
        if (!Icmpv4Packet.TryCreate(bytes, out var icmp)) return;
        layers?.Add("icmpv4");
        _ = (icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.NextHopMtu, icmp.Data.Length);
        var filled = Icmpv4Packet.CreateUnchecked(bytes.ToArray());
        filled.FillChecksum();
        Check(filled.VerifyChecksum(), "icmpv4", "the checksum does not verify after FillChecksum");
        if (Icmpv4Repr.TryParse(icmp, out var repr))
        {
            var copy = new byte[repr.BufferLength];
            icmp.Data.CopyTo(copy.AsSpan(repr.HeaderLength));
            repr.Emit(Icmpv4Packet.CreateUnchecked(copy));
            Check(Icmpv4Packet.TryCreate(copy, out var again) && Icmpv4Repr.TryParse(again, out var reparsed) && reparsed == repr, "icmpv4", "the emitted message parses differently");
        }
        // An error quotes the IP header of the datagram that caused it, usually cut short: read it as a receiver matching it to a flow would.
        if (icmp.Type is Icmpv4Type.DestinationUnreachable or Icmpv4Type.TimeExceeded or Icmpv4Type.ParameterProblem && icmp.Data.Length >= Ipv4Packet.MinHeaderLength)
        {
            Touch(Ipv4Packet.CreateUnchecked(icmp.Data));
        }
    }

    public void Icmpv6(Span<byte> bytes, IpEndpoints ips)
    {
        if (!Icmpv6Packet.TryCreate(bytes, out var icmp)) return;
        layers?.Add("icmpv6");
        var (source, destination) = (ips.Source6, ips.Destination6);
        _ = (icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.Mtu, icmp.Data.Length,
            icmp.VerifyChecksum(source, destination));
        Check(Icmpv6Repr.TryParse(icmp, out var repr), "icmpv6", "a message was refused without its checksum");
        if (Icmpv6Repr.TryParse(icmp, source, destination, out var verified)) Check(verified == repr, "icmpv6", "the checksum changed what was parsed");
        var copy = new byte[repr.BufferLength];
        icmp.Data.CopyTo(copy.AsSpan(repr.HeaderLength));
        var emitted = Icmpv6Packet.CreateUnchecked(copy);
        repr.Emit(emitted, source, destination);
        Check(emitted.VerifyChecksum(source, destination), "icmpv6", "the checksum does not verify after Emit");
        Check(Icmpv6Packet.TryCreate(copy, out var again) && Icmpv6Repr.TryParse(again, source, destination, out var reparsed) && reparsed == repr, "icmpv6", "the emitted message parses differently");

        switch (icmp.Type)
        {
            case Icmpv6Type.NeighborSolicitation or Icmpv6Type.NeighborAdvertisement:
                Ndp(bytes, ips);
                break;
            case Icmpv6Type.DestinationUnreachable or Icmpv6Type.PacketTooBig or Icmpv6Type.TimeExceeded or Icmpv6Type.ParameterProblem
                when icmp.Data.Length >= Ipv6Packet.HeaderLength:
                Touch(Ipv6Packet.CreateUnchecked(icmp.Data));
                break;
        }
    }

    public void Ndp(Span<byte> bytes, IpEndpoints ips)
    {
        if (!NdpNeighborMessage.TryCreate(bytes, out var message)) return;
        layers?.Add("ndp");
        var (source, destination) = (ips.Source6, ips.Destination6);
        _ = (message.Icmp.Type, message.Router, message.Solicited, message.Override, message.TargetAddress, message.Options.Length,
            message.HasWellFormedOptions(), message.TryGetLinkLayerOption(NdpOptionType.SourceLinkLayerAddress, out _),
            message.TryGetLinkLayerOption(NdpOptionType.TargetLinkLayerAddress, out _));
        if (!NdpRepr.TryParse(message, out var repr)) return;
        var copy = new byte[repr.BufferLength];
        repr.Emit(NdpNeighborMessage.CreateUnchecked(copy), source, destination);
        Check(Icmpv6Packet.CreateUnchecked(copy).VerifyChecksum(source, destination), "ndp", "the checksum does not verify after Emit");
        Check(NdpNeighborMessage.TryCreate(copy, out var again) && NdpRepr.TryParse(again, out var reparsed) && reparsed == repr, "ndp", "the emitted message parses differently");
        if (NdpRepr.TryParse(message, source, destination, out var verified))
        {
            Check(verified == repr, "ndp", "the address rules changed what was parsed");
            Check(NdpRepr.TryParse(again, source, destination, out var reverified) && reverified == verified, "ndp", "the emitted message breaks the address rules");
        }
    }

    public void Udp(Span<byte> bytes, IpEndpoints ips)
    {
        if (bytes.Length >= UdpPacket.HeaderLength)
        {
            var raw = UdpPacket.CreateUnchecked(bytes);
            _ = (raw.Length, raw.Datagram.Length, raw.Payload.Length);
        }
        if (!UdpPacket.TryCreate(bytes, out var udp)) return;
        layers?.Add("udp");
        _ = (udp.SourcePort, udp.DestinationPort, udp.Checksum);
        Check(udp.Datagram.Length == udp.Length && udp.Payload.Length == udp.Length - UdpPacket.HeaderLength, "udp", "the datagram does not end at its length");
        Check(UdpRepr.TryParse(udp, out var repr), "udp", "a datagram was refused without its checksum");
        if (ips.TryParse(udp, out var verified)) Check(verified == repr, "udp", "the checksum changed what was parsed");
        var copy = new byte[repr.BufferLength];
        udp.Payload.CopyTo(copy.AsSpan(repr.HeaderLength));
        var emitted = UdpPacket.CreateUnchecked(copy);
        ips.Emit(repr, emitted);
        Check(ips.Verify(emitted), "udp", "the checksum does not verify after Emit");
        Check(UdpPacket.TryCreate(copy, out var again) && ips.TryParse(again, out var reparsed) && reparsed == repr, "udp", "the emitted datagram parses differently");
        var filled = UdpPacket.CreateUnchecked(bytes.ToArray());
        ips.Fill(filled);
        Check(ips.Verify(filled), "udp", "the checksum does not verify after FillChecksum");

        if (udp.DestinationPort == VxlanHeader.UdpPort) Vxlan(udp.Payload);
    }

    public void Tcp(Span<byte> bytes, IpEndpoints ips)
    {
        if (bytes.Length >= TcpPacket.MinHeaderLength)
        {
            var raw = TcpPacket.CreateUnchecked(bytes);
            _ = (raw.HeaderLength, raw.Options.Length, raw.Payload.Length, raw.TryGetOption(TcpOptionKind.Timestamps, out _));
        }
        if (!TcpPacket.TryCreate(bytes, out var tcp)) return;
        layers?.Add("tcp");
        _ = (tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.Flags, tcp.WindowSize,
            tcp.Checksum, tcp.UrgentPointer, ips.Verify(tcp));
        foreach (var kind in (ReadOnlySpan<byte>)[TcpOptionKind.MaxSegmentSize, TcpOptionKind.WindowScale, TcpOptionKind.SackPermitted, TcpOptionKind.Sack, TcpOptionKind.Timestamps])
        {
            if (tcp.TryGetOption(kind, out var value)) Check(value.Length <= TcpPacket.MaxHeaderLength - TcpPacket.MinHeaderLength - 2, "tcp", $"option {kind} is longer than the options");
        }
        Check(TcpPacket.MinHeaderLength + tcp.Options.Length + tcp.Payload.Length == bytes.Length, "tcp", "header, options and payload do not make the segment");
        var filled = TcpPacket.CreateUnchecked(bytes.ToArray());
        ips.Fill(filled);
        Check(ips.Verify(filled), "tcp", "the checksum does not verify after FillChecksum");

        if (!TcpRepr.TryParse(tcp, out var repr)) return;
        if (ips.TryParse(tcp, out var verified)) Check(verified == repr, "tcp", "the checksum changed what was parsed");
        var copy = new byte[repr.BufferLength];
        tcp.Payload.CopyTo(copy.AsSpan(repr.HeaderLength));
        var emitted = TcpPacket.CreateUnchecked(copy);
        ips.Emit(repr, emitted);
        Check(ips.Verify(emitted), "tcp", "the checksum does not verify after Emit");
        Check(TcpPacket.TryCreate(copy, out var again) && ips.TryParse(again, out var reparsed) && reparsed == repr, "tcp", "the emitted segment parses differently");
    }

    public void Vxlan(Span<byte> bytes)
    {
        if (!VxlanHeader.TryCreate(bytes, out var vxlan)) return;
        layers?.Add("vxlan");
        _ = (vxlan.Flags, vxlan.HasValidVni, vxlan.Vni, vxlan.Payload.Length);
        if (!VxlanRepr.TryParse(vxlan, out var repr)) return;
        var copy = new byte[repr.HeaderLength];
        repr.Emit(VxlanHeader.CreateUnchecked(copy));
        Check(VxlanRepr.TryParse(VxlanHeader.CreateUnchecked(copy), out var again) && again == repr, "vxlan", "the emitted header parses differently");
        if (_tunnelDepth == MaxTunnelDepth) return;
        _tunnelDepth++;
        Ethernet(vxlan.Payload);
        _tunnelDepth--;
    }
}
