namespace Softnet.Wire;

/// <summary>ICMPv4 message types (RFC 792).</summary>
public static class Icmpv4Type
{
    public const byte EchoReply = 0;
    public const byte DestinationUnreachable = 3;
    public const byte EchoRequest = 8;
    public const byte TimeExceeded = 11;
    public const byte ParameterProblem = 12;
}
