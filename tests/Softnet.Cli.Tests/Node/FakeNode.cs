using Softnet.Cli.Node;
using Softnet.DataPlane.Pcap;
using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Tests.Node;

/// <summary>
/// A node without a hypervisor: it serves <see cref="Snapshot"/> (at first <see cref="SampleSnapshot"/>), and on r1:eth0 a capture that writes
/// <see cref="Frame"/> 0, 1, 2, ... from its own thread, as the hypervisor's capture pump does, until disposed.
/// </summary>
internal sealed class FakeNode : INodeService
{
    public const int Pid = 4242;
    public static readonly DateTimeOffset Started = new(2026, 11, 25, 4, 13, 23, TimeSpan.Zero);

    private readonly TaskCompletionSource _captureEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _captures;

    public bool Ready { get; set; } = true;

    /// <summary>What <see cref="Inspect"/> answers.</summary>
    public HypervisorSnapshot Snapshot { get; set; } = SampleSnapshot.Create();

    /// <summary>Captures started.</summary>
    public int Captures => _captures;

    /// <summary>Completes when a capture has been disposed.</summary>
    public Task CaptureEnded => _captureEnded.Task;

    public NodeStatus Status => new(Ready, Pid, "/etc/softnet/lab.yaml", Started, ["network lab: 1 device(s), 2 host(s)"]);

    public HypervisorSnapshot Inspect() => Snapshot;

    public IDisposable Capture(string port, Stream output)
    {
        if (port != "r1:eth0") throw new ArgumentException($"No port '{port}' (ports: r1:eth0, r1:eth1).");
        Interlocked.Increment(ref _captures);
        return new FrameWriter(output, _captureEnded);
    }

    /// <summary>What <see cref="Links"/> answers: lab's two links, h2's down since <see cref="Started"/> (its carrier).</summary>
    public List<NodeLink> LinkStates { get; } =
    [
        new("lab", "h1:eth0 -- r1:eth0", true, null, null),
        new("lab", "h2:eth0 -- r1:eth1", false, Started, LinkCause.Carrier),
    ];

    /// <summary>The links of <see cref="SetLinkAsync"/>'s requests that were taken, as <c>network: a -- b up|down</c>.</summary>
    public List<string> LinkRequests { get; } = [];

    public IReadOnlyList<NodeLink> Links() => LinkStates;

    public Task<LinkChange> SetLinkAsync(string? network, string a, string b, bool up, CancellationToken cancellation)
    {
        var (spec, link) = HypervisorNode.ResolveLink(Topology, network, a, b);
        var text = $"{link.A} -- {link.B}";
        LinkRequests.Add($"{spec.Name}: {text} {(up ? "up" : "down")}");
        return Task.FromResult(new LinkChange(new NodeLink(spec.Name, text, up, up ? null : Started, up ? null : LinkCause.Operator), true, null, null));
    }

    /// <summary>Lab (h1 — r1 — h2) and wan, whose r1 — r2 link only it has, but whose r1:eth0 — h1:eth0 link lab has too.</summary>
    private static readonly TopologyFile Topology = TopologyLoader.Parse("""
        networks:
          - name: lab
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["10.0.2.1/24"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["h2:eth0", "r1:eth1"]
          - name: wan
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.1.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.0.1/30"]
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.0.2/30"]
            hosts:
              - name: h1
                address: 10.1.1.10/24
                gateway: 10.1.1.1
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
        """, "fake.yaml");

    /// <summary>Frame <paramref name="index"/>: 60 + index bytes counting up from index.</summary>
    public static byte[] Frame(int index) => [.. Enumerable.Range(index, 60 + index).Select(i => (byte)i)];

    private sealed class FrameWriter : IDisposable
    {
        private readonly Thread _thread;
        private readonly TaskCompletionSource _ended;
        private volatile bool _stopping;

        public FrameWriter(Stream output, TaskCompletionSource ended)
        {
            _ended = ended;
            var writer = new PcapWriter(output, leaveOpen: true);
            writer.Flush();
            _thread = new Thread(() => Write(writer)) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stopping = true;
            _thread.Join();
            _ended.TrySetResult();
        }

        private void Write(PcapWriter writer)
        {
            try
            {
                for (var i = 0; !_stopping; i++)
                {
                    writer.Write(Frame(i % 200), DateTimeOffset.UnixEpoch.AddSeconds(i));
                    writer.Flush();
                    Thread.Sleep(1);
                }
            }
            catch (IOException)
            {
                // The reader went away: the capture's pump stops the same way.
            }
        }
    }
}
