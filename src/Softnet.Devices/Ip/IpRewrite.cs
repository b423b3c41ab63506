using Softnet.DataPlane;

namespace Softnet.Devices.Ip;

/// <summary>
/// What IPv4 and IPv6 rewrites share: neighbour resolution. A packet whose neighbour is not resolved waits in that
/// neighbour's bounded queue while a solicitation goes out; a neighbour that failed to answer gets its packets
/// answered with ICMP unreachable for a second before it is tried again; a neighbour not heard from for
/// <see cref="IpStack.ReachableSeconds"/> is asked again while traffic keeps flowing.
/// </summary>
public abstract class IpRewrite(string name, string[] outputs, IpStack stack, Solicitor solicitor)
    : PacketElement(name, outputs, ["resolution-queue-full", "neighbor-table-full"])
{
    public const int Tx = 0, TtlExpired = 1, TooBig = 2, Unreachable = 3;
    protected const int QueueFull = 0, NeighborTableFull = 1;

    protected IpStack Stack => stack;

    protected int Resolve(Adjacency adjacency, int packet)
    {
        var device = stack.Device;
        var sinceSolicited = device.Now - adjacency.LastSolicited;
        if (adjacency.State == NeighborState.Failed && sinceSolicited < device.TicksPerSecond) return Unreachable;
        if (!adjacency.TryQueue(packet)) return DropWith(QueueFull);
        if (adjacency.State == NeighborState.Failed || adjacency.Attempts == 0) Solicit(adjacency);
        return Kept;
    }

    protected void Refresh(Adjacency adjacency)
    {
        if (adjacency.IsStatic) return;
        var device = stack.Device;
        var now = device.Now;
        if (now - adjacency.ConfirmedAt < IpStack.ReachableSeconds * device.TicksPerSecond) return;
        if (now - adjacency.LastSolicited < device.TicksPerSecond) return;
        Solicit(adjacency);
    }

    private void Solicit(Adjacency adjacency)
    {
        if (!solicitor.TryBuild(Pool, adjacency, out var request)) return;
        stack.Solicited(adjacency, stack.Device.Now);
        Emit(Tx, request);
    }
}
