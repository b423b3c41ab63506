using Google.Protobuf;
using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;
using Softnet.Wire;
using V1 = Softnet.Control.V1;

namespace Softnet.Control.Protos;

/// <summary>
/// Maps forwarding plans to and from their <c>softnet.control.v1</c> messages, losslessly: <c>ToPlan(ToMessage(p))</c>
/// equals <c>p</c>. Addresses travel as their 4 or 16 bytes in network order, labels as their value.
/// </summary>
public static class PlanCodec
{
    public static V1.NetworkPlan ToMessage(NetworkPlan plan)
    {
        var message = new V1.NetworkPlan { Network = plan.Network };
        foreach (var device in plan.Devices)
        {
            var d = new V1.DevicePlan { Device = device.Device };
            foreach (var route in device.Routes) d.Routes.Add(ToMessage(route));
            foreach (var label in device.Labels) d.Labels.Add(ToMessage(label));
            foreach (var mac in device.Macs) d.Macs.Add(ToMessage(mac));
            message.Devices.Add(d);
        }
        return message;
    }

    /// <exception cref="InvalidDataException">The message is not a plan this codec writes (an address of the wrong size,
    /// a label out of range, an unknown enum value, a missing field).</exception>
    public static NetworkPlan ToPlan(V1.NetworkPlan message) =>
        new(message.Network, [.. message.Devices.Select(d => new DevicePlan(d.Device, [.. d.Routes.Select(ToRoute)], [.. d.Labels.Select(ToLabel)]) { Macs = [.. d.Macs.Select(ToMac)] })]);

    private static V1.MacEntry ToMessage(PlannedMac mac)
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Size];
        mac.Mac.WriteTo(bytes);
        return new V1.MacEntry { Vlan = (uint)mac.Vlan, Mac = ByteString.CopyFrom(bytes), Port = mac.Port };
    }

    private static PlannedMac ToMac(V1.MacEntry message)
    {
        if (message.Vlan is < 1 or > 4094) throw new InvalidDataException($"a MAC entry has VLAN {message.Vlan}; expected 1-4094");
        if (message.Mac.Length != MacAddress.Size) throw new InvalidDataException($"a MAC address has {message.Mac.Length} bytes; expected {MacAddress.Size}");
        if (message.Port.Length == 0) throw new InvalidDataException("a MAC entry has no port");
        return new PlannedMac((int)message.Vlan, MacAddress.Read(message.Mac.Span), message.Port);
    }

    private static V1.Route ToMessage(PlannedRoute route)
    {
        var message = new V1.Route { Prefix = ToMessage(route.Prefix), Origin = ToMessage(route.Origin) };
        foreach (var hop in route.NextHops)
        {
            var h = new V1.NextHop { Port = hop.Port, Via = ToBytes(hop.Via) };
            if (hop.Push is { } push) h.Push = push.Value;
            message.NextHops.Add(h);
        }
        return message;
    }

    private static V1.LabelBinding ToMessage(PlannedLabel label)
    {
        var message = new V1.LabelBinding
        {
            InLabel = label.In.Value,
            Action = label.Action switch
            {
                LabelAction.Swap => V1.LabelAction.Swap,
                LabelAction.Pop => V1.LabelAction.Pop,
                _ => V1.LabelAction.Lookup,
            },
            Via = label.Via is { } via ? ToBytes(via) : ByteString.Empty,
            Origin = ToMessage(label.Origin),
        };
        if (label.Out is { } outLabel) message.OutLabel = outLabel.Value;
        if (label.Port is { } port) message.Port = port;
        return message;
    }

    private static PlannedRoute ToRoute(V1.Route message)
    {
        if (message.Prefix is null) throw new InvalidDataException("a route has no prefix");
        if (message.NextHops.Count == 0) throw new InvalidDataException($"route {ToPrefix(message.Prefix)} has no next hop");
        return new PlannedRoute(
            ToPrefix(message.Prefix),
            [.. message.NextHops.Select(h => new PlannedNextHop(h.Port, ToAddress(h.Via), h.HasPush ? Label(h.Push) : null))],
            ToOrigin(message.Origin));
    }

    private static PlannedLabel ToLabel(V1.LabelBinding message) => new(
        Label(message.InLabel),
        message.Action switch
        {
            V1.LabelAction.Swap => LabelAction.Swap,
            V1.LabelAction.Pop => LabelAction.Pop,
            V1.LabelAction.Lookup => LabelAction.Lookup,
            var other => throw new InvalidDataException($"label {message.InLabel} has action {other}"),
        },
        message.HasOutLabel ? Label(message.OutLabel) : null,
        message.Via.IsEmpty ? null : ToAddress(message.Via),
        message.HasPort ? message.Port : null,
        ToOrigin(message.Origin));

    private static V1.Origin ToMessage(RouteOrigin origin) => origin == RouteOrigin.Static ? V1.Origin.Static : V1.Origin.Computed;

    private static RouteOrigin ToOrigin(V1.Origin origin) => origin switch
    {
        V1.Origin.Computed => RouteOrigin.Computed,
        V1.Origin.Static => RouteOrigin.Static,
        _ => throw new InvalidDataException($"unknown route origin {origin}"),
    };

    private static V1.Prefix ToMessage(IpPrefix prefix) => prefix.V4 is { } v4
        ? new V1.Prefix { Address = ToBytes(IpAddress.From(v4.Network)), Length = (uint)v4.Length }
        : new V1.Prefix { Address = ToBytes(IpAddress.From(prefix.V6!.Value.Network)), Length = (uint)prefix.V6.Value.Length };

    private static IpPrefix ToPrefix(V1.Prefix message)
    {
        var address = ToAddress(message.Address);
        var prefix = address.V4 is { } v4
            ? message.Length <= 32 ? IpPrefix.From(new Ipv4Prefix(v4, (int)message.Length)) : (IpPrefix?)null
            : message.Length <= 128 ? IpPrefix.From(new Ipv6Prefix(address.V6!.Value, (int)message.Length)) : null;
        if (prefix is not { } result || AddressOf(result) != address)
            throw new InvalidDataException($"{address}/{message.Length} is not a prefix (a length beyond the address, or host bits set)");
        return result;
    }

    private static IpAddress AddressOf(IpPrefix prefix) =>
        prefix.V4 is { } v4 ? IpAddress.From(v4.Network) : IpAddress.From(prefix.V6!.Value.Network);

    private static ByteString ToBytes(IpAddress address)
    {
        if (address.V4 is { } v4)
        {
            Span<byte> bytes = stackalloc byte[Ipv4Address.Size];
            v4.WriteTo(bytes);
            return ByteString.CopyFrom(bytes);
        }
        Span<byte> v6 = stackalloc byte[Ipv6Address.Size];
        address.V6!.Value.WriteTo(v6);
        return ByteString.CopyFrom(v6);
    }

    private static IpAddress ToAddress(ByteString bytes) => bytes.Length switch
    {
        Ipv4Address.Size => IpAddress.From(Ipv4Address.Read(bytes.Span)),
        Ipv6Address.Size => IpAddress.From(Ipv6Address.Read(bytes.Span)),
        _ => throw new InvalidDataException($"an address has {bytes.Length} bytes; expected 4 or 16"),
    };

    private static MplsLabel Label(uint value) =>
        value <= MplsLabel.MaxValue ? new MplsLabel(value) : throw new InvalidDataException($"label {value} exceeds {MplsLabel.MaxValue}");
}
