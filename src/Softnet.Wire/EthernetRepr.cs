namespace Softnet.Wire;

/// <summary>The fields of an Ethernet II header.</summary>
public readonly record struct EthernetRepr(MacAddress Destination, MacAddress Source, ushort EtherType)
{
    public int HeaderLength => EthernetFrame.HeaderLength;

    public static bool TryParse(in EthernetFrame frame, out EthernetRepr repr)
    {
        repr = new EthernetRepr(frame.Destination, frame.Source, frame.EtherType);
        return true;
    }

    public void Emit(EthernetFrame frame)
    {
        frame.Destination = Destination;
        frame.Source = Source;
        frame.EtherType = EtherType;
    }
}
