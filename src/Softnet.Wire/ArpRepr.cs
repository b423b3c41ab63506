namespace Softnet.Wire;

/// <summary>An Ethernet/IPv4 ARP request or reply.</summary>
public readonly record struct ArpRepr(
    ushort Operation,
    MacAddress SenderHardwareAddress,
    Ipv4Address SenderProtocolAddress,
    MacAddress TargetHardwareAddress,
    Ipv4Address TargetProtocolAddress)
{
    public int BufferLength => ArpPacket.Size;

    /// <summary>Accepts only Ethernet (1) / IPv4 (0x0800) with 6- and 4-byte addresses and a request or reply operation.</summary>
    public static bool TryParse(in ArpPacket packet, out ArpRepr repr)
    {
        repr = default;
        if (packet.HardwareType != ArpPacket.HardwareTypeEthernet || packet.ProtocolType != EtherType.Ipv4
            || packet.HardwareLength != MacAddress.Size || packet.ProtocolLength != Ipv4Address.Size
            || packet.Operation is not (ArpOperation.Request or ArpOperation.Reply))
        {
            return false;
        }
        repr = new ArpRepr(packet.Operation, packet.SenderHardwareAddress, packet.SenderProtocolAddress,
            packet.TargetHardwareAddress, packet.TargetProtocolAddress);
        return true;
    }

    public void Emit(ArpPacket packet)
    {
        packet.HardwareType = ArpPacket.HardwareTypeEthernet;
        packet.ProtocolType = EtherType.Ipv4;
        packet.HardwareLength = MacAddress.Size;
        packet.ProtocolLength = Ipv4Address.Size;
        packet.Operation = Operation;
        packet.SenderHardwareAddress = SenderHardwareAddress;
        packet.SenderProtocolAddress = SenderProtocolAddress;
        packet.TargetHardwareAddress = TargetHardwareAddress;
        packet.TargetProtocolAddress = TargetProtocolAddress;
    }
}
