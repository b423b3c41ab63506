using Softnet.Wire;

namespace Softnet.DataPlane.Fib;

/// <summary>A FIB entry: <paramref name="Prefix"/> is forwarded with the caller's next-hop id <paramref name="NextHop"/>.</summary>
public readonly record struct Ipv4Route(Ipv4Prefix Prefix, ushort NextHop)
{
    public override string ToString() => $"{Prefix} -> {NextHop}";
}
