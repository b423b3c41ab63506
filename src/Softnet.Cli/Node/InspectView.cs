using System.Globalization;
using Softnet.Hypervisor.Runtime;
using Spectre.Console;

namespace Softnet.Cli.Node;

/// <summary>
/// <c>softnet inspect</c> as tables: the node, then each network with its tokens and elasticity (the share of the
/// workers it is granted by its tokens against the share it used), its domains, ports, hosts and the element counters
/// that moved; last the physical ports of the driver domain.
/// </summary>
public static class InspectView
{
    public static void Render(HypervisorSnapshot snapshot, IAnsiConsole console)
    {
        var pool = snapshot.Pool;
        console.Write(new Rule($"[bold]node[/]: {snapshot.Workers} worker(s), {snapshot.Networks.Count} network(s), taken {snapshot.Taken.ToLocalTime():yyyy-MM-dd HH:mm:ss}").LeftJustified());
        console.MarkupLine($"packet buffers: {N(pool.InUse)} of {N(pool.Capacity)} in use ({N(pool.BufferSize)} bytes each); token redistributions: {N(snapshot.Redistributions)}");
        console.WriteLine();

        var networks = Table("network", "architecture", "priority", "base tokens", "token balance", "allocation", "granted share", "worker share");
        foreach (var n in snapshot.Networks)
            networks.AddRow(Cells(n.Name, Word(n.Architecture), Word(n.Priority), N(n.BaseTokens), N(n.TokenBalance), N(n.TokenAllocation), Share(n.GrantedShare), Share(n.WorkerShare)));
        console.Write(networks);

        foreach (var n in snapshot.Networks)
        {
            console.WriteLine();
            console.Write(new Rule($"[bold]{Markup.Escape(n.Name)}[/]").LeftJustified());
            var domains = Table("domain", "kind", "base tokens", "token balance", "worker share", "turns", "backlog");
            foreach (var d in n.Domains)
                domains.AddRow(Cells(d.Name, d.Kind, N(d.BaseTokens), N(d.TokenBalance), Share(d.WorkerShare), N(d.Turns), N(d.Backlog)));
            console.Write(domains);

            var ports = Table("port", "linked to", "mac", "rx packets", "rx bytes", "tx packets", "tx bytes", "tx dropped");
            foreach (var (d, p) in n.Domains.SelectMany(d => d.Ports.Select(p => (d, p))))
                ports.AddRow(Cells(PortName(d, p), p.LinkedTo, p.Mac, N(p.RxPackets), N(p.RxBytes), N(p.TxPackets), N(p.TxBytes), N(p.TxDropped)));
            console.Write(ports);

            if (n.Hosts.Count > 0)
            {
                var hosts = Table("host", "namespace", "physical port", "kind", "addresses");
                foreach (var h in n.Hosts)
                    hosts.AddRow(Cells(h.Name, h.Namespace ?? "(in memory)", h.PhysicalPort, Word(h.Kind), string.Join(", ", h.Addresses)));
                console.Write(hosts);
            }

            var counters = Table("domain", "element", "received", "counters");
            foreach (var d in n.Domains)
                foreach (var e in d.Elements.Where(e => e.Received > 0 || e.Counters.Values.Any(v => v != 0)))
                    counters.AddRow(Cells(d.Name, e.Name, N(e.Received), string.Join(", ", e.Counters.Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={N(c.Value)}"))));
            if (counters.Rows.Count > 0) console.Write(counters);
        }

        console.WriteLine();
        console.Write(new Rule("[bold]physical ports[/] (driver domain)").LeftJustified());
        var physical = Table("port", "kind", "network", "backend", "rx frames", "rx bytes", "tx frames", "tx bytes", "rx dropped", "tx dropped", "segmented");
        foreach (var p in snapshot.PhysicalPorts)
            physical.AddRow(Cells(p.Name, Word(p.Kind), p.Network, p.Backend, N(p.RxFrames), N(p.RxBytes), N(p.TxFrames), N(p.TxBytes), N(p.RxDropped), N(p.TxDropped), N(p.Segmented)));
        console.Write(physical);
    }

    /// <summary>
    /// The links as a table: network, link, state, since when and why it is down; with <paramref name="onlyDown"/>
    /// only the links down, and nothing at all when every link is up.
    /// </summary>
    public static void RenderLinks(IReadOnlyList<NodeLink> links, IAnsiConsole console, bool onlyDown)
    {
        var shown = onlyDown ? [.. links.Where(l => !l.Up)] : links;
        if (onlyDown && shown.Count == 0) return;
        console.WriteLine();
        console.Write(new Rule(onlyDown ? "[bold]links down[/]" : "[bold]links[/]").LeftJustified());
        if (shown.Count == 0)
        {
            console.WriteLine("no link");
            return;
        }
        var table = Table("network", "link", "state", "since", "cause");
        foreach (var l in shown)
            table.AddRow(Cells(l.Network, l.Link, l.Up ? "up" : "down", l.Since is { } since ? $"{since.ToLocalTime():yyyy-MM-dd HH:mm:ss}" : "", l.Cause is { } cause ? Word(cause) : ""));
        console.Write(table);
    }

    private static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        foreach (var column in columns)
        {
            var right = column.Contains("packets") || column.Contains("bytes") || column.Contains("frames") || column.Contains("tokens") || column.Contains("dropped")
                || column is "token balance" or "allocation" or "granted share" or "worker share" or "turns" or "backlog" or "received" or "segmented";
            table.AddColumn(new TableColumn(column) { Alignment = right ? Justify.Right : Justify.Left });
        }
        return table;
    }

    /// <summary>As in the drawing: <c>r1-eth0</c>.</summary>
    private static string PortName(DomainStatus domain, PortStatus port) =>
        port.Name.StartsWith(domain.Name + "-", StringComparison.Ordinal) ? port.Name : $"{domain.Name}-{port.Name}";

    private static string[] Cells(params string[] values) => [.. values.Select(Markup.Escape)];

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Share(double fraction) => double.IsFinite(fraction) ? (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "-";

    /// <summary>Enums as the topology file writes them: <c>ipv4</c>, <c>af_packet</c>.</summary>
    private static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
