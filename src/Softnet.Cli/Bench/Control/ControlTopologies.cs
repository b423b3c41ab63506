using System.Text;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Bench.Control;

/// <summary>
/// The bench's topology files, none with a static route of its own: every route the routers have comes from the
/// controller (the gateway file keeps the routes towards the gateway's mapped prefixes, which no planner can know).
/// Every host is an in-memory port.
/// </summary>
internal static class ControlTopologies
{
    public const string RingNetwork = "ring";
    public const int RingRouters = 50;

    /// <summary>Routers of the ring with a chord to the router <see cref="ChordSpan"/> further on.</summary>
    public const int ChordSpan = 10;

    /// <summary>The ring router that h2 hangs on; h1 is on r0. The one shortest path is r0 — r10 — r20 — r21 — … — r24.</summary>
    public const int FarRouter = 24;

    public const int SmallNetworks = 20;

    /// <summary>
    /// <see cref="RingRouters"/> routers r0 … r49 in a ring, each ring link a /30, with chords r0 — r10 — r20 — r30 —
    /// r40 — r0 (so every link has another path, and a cut one is routed around over few hops); h1 (10.0.1.10/24) on r0
    /// and h2 (10.0.2.10/24) on <see cref="FarRouter"/>.
    /// </summary>
    public static string Ring()
    {
        var interfaces = Enumerable.Range(0, RingRouters).Select(_ => new List<(string Name, string Address)>()).ToArray();
        var links = new List<string>();
        var subnet = 0;
        void Join(int a, int b)
        {
            var (ia, ib) = ($"eth{interfaces[a].Count}", $"eth{interfaces[b].Count}");
            interfaces[a].Add((ia, $"172.20.{subnet / 64}.{subnet % 64 * 4 + 1}/30"));
            interfaces[b].Add((ib, $"172.20.{subnet / 64}.{subnet % 64 * 4 + 2}/30"));
            links.Add($"[\"r{a}:{ia}\", \"r{b}:{ib}\"]");
            subnet++;
        }
        for (var r = 0; r < RingRouters; r++) Join(r, (r + 1) % RingRouters);
        for (var r = 0; r < RingRouters; r += ChordSpan) Join(r, (r + ChordSpan) % RingRouters);
        var h1Port = $"eth{interfaces[0].Count}";
        interfaces[0].Add((h1Port, "10.0.1.1/24"));
        var h2Port = $"eth{interfaces[FarRouter].Count}";
        interfaces[FarRouter].Add((h2Port, "10.0.2.1/24"));
        links.Add($"[\"h1:eth0\", \"r0:{h1Port}\"]");
        links.Add($"[\"h2:eth0\", \"r{FarRouter}:{h2Port}\"]");

        var yaml = new StringBuilder($"""
            networks:
              - name: {RingNetwork}
                architecture: ipv4
                tokens: 10
                devices:

            """);
        for (var r = 0; r < RingRouters; r++)
        {
            yaml.Append($"      - name: r{r}\n        kind: router\n        interfaces:\n");
            foreach (var (name, address) in interfaces[r]) yaml.Append($"          - name: {name}\n            addresses: [\"{address}\"]\n");
        }
        yaml.Append(Hosts(("h1", "10.0.1.10/24", "10.0.1.1"), ("h2", "10.0.2.10/24", "10.0.2.1")));
        yaml.Append("    links:\n");
        foreach (var link in links) yaml.Append($"      - endpoints: {link}\n");
        return yaml.ToString();
    }

    /// <summary>The name of small network <paramref name="index"/> (1-based): net01 … net20.</summary>
    public static string Small(int index) => $"net{index:00}";

    /// <summary>
    /// <see cref="SmallNetworks"/> networks, each h1 — r1 — r2 — h2 with 2 base tokens, numbered alike. The last one's
    /// r1 has a spare interface, eth2 (192.168.0.5/30); with <paramref name="extraDevice"/> a router r3 is linked to it,
    /// with host h3 (10.0.3.10/24) behind it: a change of one device (and the host and links it brings).
    /// </summary>
    public static string Twenty(bool extraDevice)
    {
        var yaml = new StringBuilder("networks:\n");
        for (var i = 1; i <= SmallNetworks; i++)
        {
            var last = i == SmallNetworks;
            yaml.Append($"""
                  - name: {Small(i)}
                    architecture: ipv4
                    tokens: 2
                    devices:
                      - name: r1
                        kind: router
                        interfaces:
                          - name: eth0
                            addresses: ["10.0.1.1/24"]
                          - name: eth1
                            addresses: ["192.168.0.1/30"]

                """);
            if (last) yaml.Append("          - name: eth2\n            addresses: [\"192.168.0.5/30\"]\n");
            yaml.Append("""
                      - name: r2
                        kind: router
                        interfaces:
                          - name: eth0
                            addresses: ["192.168.0.2/30"]
                          - name: eth1
                            addresses: ["10.0.2.1/24"]

                """);
            if (last && extraDevice)
            {
                yaml.Append("""
                          - name: r3
                            kind: router
                            interfaces:
                              - name: eth0
                                addresses: ["192.168.0.6/30"]
                              - name: eth1
                                addresses: ["10.0.3.1/24"]

                    """);
            }
            (string, string, string)[] hosts = [("h1", "10.0.1.10/24", "10.0.1.1"), ("h2", "10.0.2.10/24", "10.0.2.1")];
            yaml.Append(Hosts(last && extraDevice ? [.. hosts, ("h3", "10.0.3.10/24", "10.0.3.1")] : hosts));
            yaml.Append("""
                    links:
                      - endpoints: ["h1:eth0", "r1:eth0"]
                      - endpoints: ["r1:eth1", "r2:eth0"]
                      - endpoints: ["r2:eth1", "h2:eth0"]

                """);
            if (last && extraDevice)
                yaml.Append("      - endpoints: [\"r1:eth2\", \"r3:eth0\"]\n      - endpoints: [\"r3:eth1\", \"h3:eth0\"]\n");
        }
        return yaml.ToString();
    }

    /// <summary>examples/user-template.yaml, and the file loaded (to check it is one network before any user connects).</summary>
    public static (string Yaml, SoftwareNetwork Network) UserTemplate(string examples)
    {
        var path = Path.Combine(examples, "user-template.yaml");
        var yaml = File.ReadAllText(path);
        var file = TopologyLoader.Parse(yaml, path);
        if (file.Networks.Count != 1) throw new InvalidOperationException($"{path} declares {file.Networks.Count} networks; a template declares one.");
        return (yaml, file.Networks[0]);
    }

    /// <summary>The examples folder of the repository this program was built in, or of the current directory.</summary>
    public static string ExamplesDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var examples = Path.Combine(dir.FullName, "examples");
                if (File.Exists(Path.Combine(examples, "gateway.yaml")) && File.Exists(Path.Combine(examples, "user-template.yaml"))) return examples;
            }
        }
        throw new InvalidOperationException($"No examples folder with gateway.yaml and user-template.yaml above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}; run the bench from the repository.");
    }

    private static string Hosts(params (string Name, string Address, string Gateway)[] hosts) =>
        "    hosts:\n" + string.Concat(hosts.Select(h => $"      - name: {h.Name}\n        address: {h.Address}\n        gateway: {h.Gateway}\n        phy: memory\n"));
}
