namespace Softnet.Devices.Gateway;

/// <summary>
/// Static 1:1 prefix translation for overlapping address spaces (Linux's NETMAP): the addresses
/// <paramref name="Real"/> of the network <paramref name="Side"/> appear on the gateway's other networks as the same
/// host part under <paramref name="Mapped"/>. A destination in <paramref name="Mapped"/> becomes real as the packet
/// enters <paramref name="Side"/>; a source in <paramref name="Real"/> becomes mapped as the packet leaves it.
/// </summary>
public sealed record GatewayNat(string Side, GatewayPrefix Real, GatewayPrefix Mapped)
{
    public override string ToString() => $"{Side}: {Real} <-> {Mapped}";
}
