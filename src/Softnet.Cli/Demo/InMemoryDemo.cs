using Softnet.DataPlane;
using Softnet.DataPlane.Ports;
using Softnet.Devices.Ip;
using Softnet.Devices.Switching;
using Softnet.Wire;
using Spectre.Console;

namespace Softnet.Cli.Demo;

/// <summary>
/// The first version of Softnet's main job: one software network built in memory (two hosts on a switch, two
/// routers, a third host) carrying real ping, ping6 and UDP traffic, then every device's counters. Every frame is
/// built, parsed and forwarded byte for byte by Softnet's devices; the links are in-process queues.
/// </summary>
public static class InMemoryDemo
{
    private const int UdpDatagrams = 1000;

    public static int Run(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 120;
        var network = DemoNetwork.Build();

        console.Write(new Rule("[bold]Softnet demo: one software network, in memory[/]").LeftJustified());
        console.MarkupLine("[grey]In-memory run: devices are Softnet's own, frames are real Ethernet/IP bytes, links are in-process queues.[/]");
        console.MarkupLine("[grey]No namespaces, no root needed. (Running over Linux network namespaces comes with the hypervisor.)[/]");
        console.WriteLine();
        console.Write(new Panel(DemoNetwork.Drawing).Header("topology").BorderColor(Color.Grey));
        console.WriteLine();

        var ok = true;
        ok &= Ping(console, network, network.H1, Ipv4Address.Parse("10.0.2.10"), "h1 → h3", count: 5);
        ok &= Ping6(console, network, network.H1, Ipv6Address.Parse("2001:db8:2::10"), "h1 → h3 (IPv6)", count: 3);
        ok &= Ping(console, network, network.H2, Ipv4Address.Parse("10.0.12.2"), "h2 → r2", count: 2);
        ok &= Udp(console, network);
        ok &= Unreachable(console, network);

        console.WriteLine();
        console.Write(PortTable(network));
        console.Write(DropTable(network));
        console.MarkupLine(ok ? "[green]demo finished: all traffic arrived as expected[/]" : "[red]demo finished with failures (see above)[/]");
        return ok ? 0 : 1;
    }

    private static bool Ping(IAnsiConsole console, DemoNetwork network, Host from, Ipv4Address to, string label, int count) =>
        Ping(console, network, from, "ping", "ttl", label, count, seq => from.Ping(to, identifier: 0x5053, sequence: seq));

    private static bool Ping6(IAnsiConsole console, DemoNetwork network, Host from, Ipv6Address to, string label, int count) =>
        Ping(console, network, from, "ping6", "hlim", label, count, seq => from.Ping(to, identifier: 0x5054, sequence: seq));

    /// <summary>Sends <paramref name="count"/> echo requests one at a time and prints each reply as ping(8) does.</summary>
    private static bool Ping(IAnsiConsole console, DemoNetwork network, Host from, string command, string ttlName, string label, int count, Func<ushort, bool> send)
    {
        var rtts = new List<double>();
        for (ushort seq = 1; seq <= count; seq++)
        {
            var sent = network.Clock.GetTimestamp();
            send(seq);
            network.Loop.RunUntilIdle();
            if (from.Endpoints.TryReceiveEchoReply(out var reply) && reply.SequenceNumber == seq)
            {
                var rtt = (reply.ReceivedAt - sent) * 1e6 / network.Clock.TimestampFrequency;
                rtts.Add(rtt);
                console.MarkupLine($"  {command} {label}: {reply.DataLength + 8} bytes from {reply.From}: icmp_seq={seq} {ttlName}={reply.Ttl} time={rtt:F1} µs");
            }
            else console.MarkupLine($"  [red]{command} {label}: icmp_seq={seq} no reply[/]");
        }
        return Summary(console, label, count, rtts);
    }

    private static bool Summary(IAnsiConsole console, string label, int count, List<double> rtts)
    {
        var loss = 100.0 * (count - rtts.Count) / count;
        var colour = rtts.Count == count ? "green" : "red";
        var stats = rtts.Count > 0 ? $", rtt min/avg/max = {rtts.Min():F1}/{rtts.Average():F1}/{rtts.Max():F1} µs" : "";
        console.MarkupLine($"  [{colour}]--- {label}: {count} transmitted, {rtts.Count} received, {loss:F0}% loss{stats}[/]");
        console.WriteLine();
        return rtts.Count == count;
    }

    private static bool Udp(IAnsiConsole console, DemoNetwork network)
    {
        network.H3.Endpoints.BindUdp(5001);
        var payload = new byte[512];
        var start = network.Clock.GetTimestamp();
        for (var i = 0; i < UdpDatagrams; i++)
        {
            payload[0] = (byte)i;
            network.H1.SendUdp(Ipv4Address.Parse("10.0.2.10"), 40000, 5001, payload);
            if (i % 64 == 63) network.Loop.RunUntilIdle();
        }
        network.Loop.RunUntilIdle();
        var seconds = (network.Clock.GetTimestamp() - start) / (double)network.Clock.TimestampFrequency;
        var received = 0;
        var intact = true;
        while (network.H3.Endpoints.TryReceiveUdp(5001, out var datagram))
        {
            intact &= datagram.Payload.Length == payload.Length && datagram.Payload[0] == (byte)received;
            received++;
        }
        var good = received == UdpDatagrams && intact;
        var colour = good ? "green" : "red";
        console.MarkupLine($"  udp h1:40000 → h3:5001: {UdpDatagrams} datagrams of {payload.Length} bytes sent, [{colour}]{received} received in order and intact[/] ({seconds * 1e3:F1} ms)");
        console.WriteLine();
        return good;
    }

    private static bool Unreachable(IAnsiConsole console, DemoNetwork network)
    {
        network.H1.Ping(Ipv4Address.Parse("10.9.9.9"), 0x5055, 1);
        network.Loop.RunUntilIdle();
        var got = network.H1.Endpoints.TryReceiveIcmpReport(out var report);
        var good = got && report.Type == Icmpv4Type.DestinationUnreachable && report.Code == Icmpv4Code.Net;
        console.MarkupLine(good
            ? $"  ping h1 → 10.9.9.9: [green]From {report.From} icmp_seq=1 Destination Net Unreachable[/] (no route at r1: ICMP type 3 code 0, as RFC 1812 asks)"
            : "  [red]ping h1 → 10.9.9.9: expected an ICMP net unreachable from r1, got none[/]");
        console.WriteLine();
        return good;
    }

    private static Table PortTable(DemoNetwork network)
    {
        var table = new Table().Title("[bold]port counters[/]").Border(TableBorder.Rounded);
        foreach (var column in new[] { "port", "kind", "rx packets", "rx bytes", "tx packets", "tx bytes", "tx no link", "tx link full" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        table.Columns[0].LeftAligned();
        table.Columns[1].LeftAligned();
        foreach (var device in network.Loop.Devices)
        {
            foreach (var port in device.Ports)
            {
                var c = port.Counters;
                table.AddRow(port.FullName, device.Kind, $"{c.RxPackets:N0}", $"{c.RxBytes:N0}", $"{c.TxPackets:N0}", $"{c.TxBytes:N0}", $"{c.TxNoLink:N0}", $"{c.TxLinkFull:N0}");
            }
        }
        return table;
    }

    private static Table DropTable(DemoNetwork network)
    {
        var table = new Table().Title("[bold]packets delivered locally or dropped, by device, element and reason[/]").Border(TableBorder.Rounded);
        table.AddColumn("device");
        table.AddColumn("element");
        table.AddColumn("reason");
        table.AddColumn(new TableColumn("packets").RightAligned());
        foreach (var device in network.Loop.Devices)
        {
            foreach (var element in device.Graph.Elements)
            {
                for (var i = 0; i < element.DropReasons.Count; i++)
                {
                    var count = element.Counters.Dropped(i);
                    if (count > 0) table.AddRow(device.Name, element.Name, element.DropReasons[i], $"{count:N0}");
                }
            }
        }
        return table;
    }

    /// <summary>The demo's devices and links.</summary>
    private sealed class DemoNetwork
    {
        public const string Drawing = """
              h1 10.0.1.10 ──┐
                             s1 ── r1 ──────────────── r2 ── h3 10.0.2.10
              h2 10.0.1.11 ──┘   10.0.1.1   10.0.12.1/30   10.0.2.1
                                             10.0.12.2
              IPv6: 2001:db8:1::/64 (h1, h2, r1) · 2001:db8:12::/64 (r1, r2) · 2001:db8:2::/64 (r2, h3)
            """;

        private DemoNetwork(TimeProvider clock)
        {
            Clock = clock;
            Loop = new DeviceLoop(clock);
        }

        public TimeProvider Clock { get; }
        public DeviceLoop Loop { get; }
        public Host H1 { get; private set; } = null!;
        public Host H2 { get; private set; } = null!;
        public Host H3 { get; private set; } = null!;

        public static DemoNetwork Build()
        {
            var pool = new PacketPool(8192);
            var net = new DemoNetwork(TimeProvider.System);
            var loop = net.Loop;
            var h1 = net.H1 = loop.Add(new Host("h1", pool));
            var h2 = net.H2 = loop.Add(new Host("h2", pool));
            var h3 = net.H3 = loop.Add(new Host("h3", pool));
            var s1 = loop.Add(new L2Switch("s1", pool));
            var r1 = loop.Add(new Router("r1", pool));
            var r2 = loop.Add(new Router("r2", pool));

            r1.AddInterface("eth0");
            r1.AddInterface("eth1");
            r1.AddAddress("eth0", "10.0.1.1/24");
            r1.AddAddress("eth0", "2001:db8:1::1/64");
            r1.AddAddress("eth1", "10.0.12.1/30");
            r1.AddAddress("eth1", "2001:db8:12::1/64");
            r1.AddRoute(Ipv4Prefix.Parse("10.0.2.0/24"), ("eth1", Ipv4Address.Parse("10.0.12.2")));
            r1.AddRoute(Ipv6Prefix.Parse("2001:db8:2::/64"), ("eth1", Ipv6Address.Parse("2001:db8:12::2")));
            r2.AddInterface("eth0");
            r2.AddInterface("eth1");
            r2.AddAddress("eth0", "10.0.12.2/30");
            r2.AddAddress("eth0", "2001:db8:12::2/64");
            r2.AddAddress("eth1", "10.0.2.1/24");
            r2.AddAddress("eth1", "2001:db8:2::1/64");
            r2.AddRoute(Ipv4Prefix.Parse("10.0.1.0/24"), ("eth0", Ipv4Address.Parse("10.0.12.1")));
            r2.AddRoute(Ipv6Prefix.Parse("2001:db8:1::/64"), ("eth0", Ipv6Address.Parse("2001:db8:12::1")));

            h1.AddAddress("eth0", "10.0.1.10/24");
            h1.AddAddress("eth0", "2001:db8:1::10/64");
            h1.SetGateway(Ipv4Address.Parse("10.0.1.1"));
            h1.SetGateway(Ipv6Address.Parse("2001:db8:1::1"));
            h2.AddAddress("eth0", "10.0.1.11/24");
            h2.SetGateway(Ipv4Address.Parse("10.0.1.1"));
            h3.AddAddress("eth0", "10.0.2.10/24");
            h3.AddAddress("eth0", "2001:db8:2::10/64");
            h3.SetGateway(Ipv4Address.Parse("10.0.2.1"));
            h3.SetGateway(Ipv6Address.Parse("2001:db8:2::1"));

            Connect(h1.Port("eth0"), s1.AddPort("eth1", SwitchPortMode.Access(10)));
            Connect(h2.Port("eth0"), s1.AddPort("eth2", SwitchPortMode.Access(10)));
            Connect(r1.Port("eth0"), s1.AddPort("eth3", SwitchPortMode.Access(10)));
            Connect(r1.Port("eth1"), r2.Port("eth0"));
            Connect(r2.Port("eth1"), h3.Port("eth0"));
            return net;
        }

        private static void Connect(DevicePort a, DevicePort b)
        {
            var link = new InMemoryLink();
            a.Attach(link.A);
            b.Attach(link.B);
        }
    }
}
