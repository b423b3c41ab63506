using System.Buffers.Binary;

namespace Softnet.Hypervisor.Linux;

/// <summary>A <c>struct sockaddr_ll</c> (20 bytes) for binding an AF_PACKET socket to one interface and protocol.</summary>
internal unsafe struct LinkLayerAddress
{
    public const int Size = 20;

    public ushort Family;

    /// <summary>The EtherType to receive, in network order.</summary>
    public ushort Protocol;

    public int InterfaceIndex;
    public ushort HardwareType;
    public byte PacketType;
    public byte AddressLength;
    public fixed byte Address[8];

    public LinkLayerAddress(ushort etherType, int interfaceIndex)
    {
        Family = Libc.AF_PACKET;
        Protocol = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(etherType) : etherType;
        InterfaceIndex = interfaceIndex;
    }
}
