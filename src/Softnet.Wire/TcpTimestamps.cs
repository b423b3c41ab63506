namespace Softnet.Wire;

/// <summary>The values of the TCP Timestamps option (RFC 7323): TSval and TSecr.</summary>
public readonly record struct TcpTimestamps(uint Value, uint EchoReply);
