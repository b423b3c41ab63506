namespace Softnet.Control.Diff;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One difference between two topology files, in the network called <see cref="Network"/>. <see cref="What"/> is the
/// device, host or gateway concerned (a gateway is a node of each network it joins), or empty for the network itself:
/// <list type="bullet">
/// <item>empty <see cref="What"/> and <see cref="Detail"/>: the whole network was added or removed (<c>+ network lab</c>);</item>
/// <item>empty <see cref="What"/>: a property or a link of the network (<c>~ lab: tokens 10 -> 20</c>, <c>+ lab: link r1:eth2 -- r2:eth0</c>);</item>
/// <item>a node added or removed: <see cref="Detail"/> is its kind (<c>- lab/r2 (router)</c>);</item>
/// <item>a node changed: <see cref="Detail"/> says which part (<c>~ lab/r1: interface eth2 added (10.0.3.1/24)</c>).</item>
/// </list>
/// </summary>
public sealed record TopologyChange(ChangeKind Kind, string Network, string What, string Detail)
{
    /// <summary>The change as <c>apply</c> prints it, on one line.</summary>
    public override string ToString()
    {
        var sign = Kind switch { ChangeKind.Added => '+', ChangeKind.Removed => '-', _ => '~' };
        if (What.Length == 0) return Detail.Length == 0 ? $"{sign} network {Network}" : $"{sign} {Network}: {Detail}";
        return Kind == ChangeKind.Changed ? $"{sign} {Network}/{What}: {Detail}" : $"{sign} {Network}/{What} ({Detail})";
    }
}
