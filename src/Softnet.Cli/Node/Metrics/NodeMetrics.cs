using System.Text.Json;
using Prometheus;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Node.Metrics;

/// <summary>
/// The node's Prometheus metrics (<c>GET /metrics</c>): every figure of a <see cref="HypervisorSnapshot"/> as a series
/// of a registry of its own (not prometheus-net's static default, which every application in the process would share).
/// Each scrape takes one snapshot, sets every series from it and writes the text exposition format; scrapes take turns,
/// so an exposition never mixes two snapshots and a counter never sees an older snapshot after a newer one.
/// </summary>
/// <remarks>
/// The snapshot is taken here rather than in a before-collect callback of the registry, which would swallow a failed
/// <c>Inspect</c> and expose the previous figures as current.
/// </remarks>
public sealed class NodeMetrics
{
    /// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
    public const string ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;

    private static readonly string[] NetworkLabels = ["network"];
    private static readonly string[] DomainLabels = ["network", "device"];
    private static readonly string[] PortLabels = ["network", "device", "port"];
    private static readonly string[] ElementLabels = ["network", "device", "element"];
    private static readonly string[] ElementCounterLabels = ["network", "device", "element", "counter"];
    private static readonly string[] PhysicalPortLabels = ["network", "port", "kind"];

    private readonly Func<HypervisorSnapshot> _inspect;
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly IMetricFactory _factory;
    private readonly List<Action> _sweeps = [];
    private readonly SemaphoreSlim _scrape = new(1, 1);

    private readonly SnapshotGauge _workers;
    private readonly SnapshotCounter _redistributions;
    private readonly SnapshotCounter _workerAllocated;
    private readonly SnapshotGauge _poolCapacity;
    private readonly SnapshotGauge _poolInUse;
    private readonly SnapshotGauge _poolBufferSize;

    private readonly SnapshotGauge _networkBaseTokens;
    private readonly SnapshotGauge _networkTokenBalance;
    private readonly SnapshotGauge _networkTokenAllocation;
    private readonly SnapshotGauge _networkGrantedShare;
    private readonly SnapshotGauge _networkWorkerShare;

    private readonly SnapshotCounter _domainTurns;
    private readonly SnapshotGauge _domainBacklog;
    private readonly SnapshotGauge _domainTokenBalance;
    private readonly SnapshotGauge _domainWorkerShare;

    private readonly SnapshotCounter _portRxPackets;
    private readonly SnapshotCounter _portRxBytes;
    private readonly SnapshotCounter _portTxPackets;
    private readonly SnapshotCounter _portTxBytes;
    private readonly SnapshotCounter _portTxDropped;

    private readonly SnapshotCounter _elementReceived;
    private readonly SnapshotCounter _elementPackets;

    private readonly SnapshotCounter _physicalRxFrames;
    private readonly SnapshotCounter _physicalRxBytes;
    private readonly SnapshotCounter _physicalTxFrames;
    private readonly SnapshotCounter _physicalTxBytes;
    private readonly SnapshotCounter _physicalRxDropped;
    private readonly SnapshotCounter _physicalTxDropped;
    private readonly SnapshotCounter _physicalSegmented;

    /// <param name="inspect">Takes the snapshot a scrape shows (<see cref="INodeService.Inspect"/>).</param>
    public NodeMetrics(Func<HypervisorSnapshot> inspect)
    {
        _inspect = inspect;
        _factory = Prometheus.Metrics.WithCustomRegistry(_registry);

        _workers = Gauge("softnet_workers", "Worker threads that run the node's domains.", []);
        _redistributions = Counter("softnet_redistributions_total", "Times the scheduler handed the networks their base tokens again (SPEC 4.4).", []);
        _workerAllocated = Counter("softnet_worker_allocated_bytes_total", "Bytes the worker threads allocated on the managed heap since they started; flat under traffic, as the data plane allocates nothing per packet.", []);
        _poolCapacity = Gauge("softnet_pool_capacity_buffers", "Packet buffers in the pool that every domain shares.", []);
        _poolInUse = Gauge("softnet_pool_in_use_buffers", "Packet buffers of the pool that hold a packet.", []);
        _poolBufferSize = Gauge("softnet_pool_buffer_size_bytes", "Size of one packet buffer of the pool.", []);

        _networkBaseTokens = Gauge("softnet_network_base_tokens", "Base tokens the topology file grants the software network.", NetworkLabels);
        _networkTokenBalance = Gauge("softnet_network_token_balance", "The software network's token balance in byte-equivalents; negative while it is in debt.", NetworkLabels);
        _networkTokenAllocation = Gauge("softnet_network_token_allocation", "Byte-equivalents the software network receives at each redistribution.", NetworkLabels);
        _networkGrantedShare = Gauge("softnet_network_granted_worker_share", "Share of the node's worker time the software network's base tokens grant it (0 to 1).", NetworkLabels);
        _networkWorkerShare = Gauge("softnet_network_worker_share", "Worker time the software network's domains used over the last measurement interval, in workers (1 is one worker all the time).", NetworkLabels);

        _domainTurns = Counter("softnet_domain_turns_total", "Turns the domain has run on a worker.", DomainLabels);
        _domainBacklog = Gauge("softnet_domain_backlog_frames", "Frames waiting on the domain's ports.", DomainLabels);
        _domainTokenBalance = Gauge("softnet_domain_token_balance", "The domain's token balance within its software network, in byte-equivalents; negative while it is in debt.", DomainLabels);
        _domainWorkerShare = Gauge("softnet_domain_worker_share", "Worker time the domain used over the last measurement interval, in workers.", DomainLabels);

        _portRxPackets = Counter("softnet_port_rx_packets_total", "Packets the device port received.", PortLabels);
        _portRxBytes = Counter("softnet_port_rx_bytes_total", "Bytes the device port received.", PortLabels);
        _portTxPackets = Counter("softnet_port_tx_packets_total", "Packets the device port sent.", PortLabels);
        _portTxBytes = Counter("softnet_port_tx_bytes_total", "Bytes the device port sent.", PortLabels);
        _portTxDropped = Counter("softnet_port_tx_dropped_packets_total", "Packets the device port could not send: no link, or the link was full.", PortLabels);

        _elementReceived = Counter("softnet_element_received_packets_total", "Packets the element of the device's graph received.", ElementLabels);
        _elementPackets = Counter("softnet_element_packets_total", "Packets the element sent to the named output, or dropped for the reason of a counter named drop:REASON.", ElementCounterLabels);

        _physicalRxFrames = Counter("softnet_physical_port_rx_frames_total", "Frames the driver domain received from the physical port.", PhysicalPortLabels);
        _physicalRxBytes = Counter("softnet_physical_port_rx_bytes_total", "Bytes the driver domain received from the physical port.", PhysicalPortLabels);
        _physicalTxFrames = Counter("softnet_physical_port_tx_frames_total", "Frames the driver domain sent on the physical port.", PhysicalPortLabels);
        _physicalTxBytes = Counter("softnet_physical_port_tx_bytes_total", "Bytes the driver domain sent on the physical port.", PhysicalPortLabels);
        _physicalRxDropped = Counter("softnet_physical_port_rx_dropped_frames_total", "Frames the physical port dropped on receive.", PhysicalPortLabels);
        _physicalTxDropped = Counter("softnet_physical_port_tx_dropped_frames_total", "Frames dropped on the way out of the physical port: refused by it, or not segmentable.", PhysicalPortLabels);
        _physicalSegmented = Counter("softnet_physical_port_segmented_frames_total", "Oversized (GSO) frames the driver domain cut into segments before sending them on the physical port.", PhysicalPortLabels);
    }

    /// <summary>Takes a snapshot and writes every series, as of that snapshot, to <paramref name="output"/>.</summary>
    public async Task WriteAsync(Stream output, CancellationToken cancellation)
    {
        await _scrape.WaitAsync(cancellation);
        try
        {
            Record(_inspect());
            await _registry.CollectAndExportAsTextAsync(output, ExpositionFormat.PrometheusText, cancellation);
        }
        finally
        {
            _scrape.Release();
        }
    }

    private void Record(HypervisorSnapshot snapshot)
    {
        _workers.Record(snapshot.Workers);
        _redistributions.Record(snapshot.Redistributions);
        _workerAllocated.Record(snapshot.WorkerAllocatedBytes);
        _poolCapacity.Record(snapshot.Pool.Capacity);
        _poolInUse.Record(snapshot.Pool.InUse);
        _poolBufferSize.Record(snapshot.Pool.BufferSize);
        foreach (var network in snapshot.Networks)
        {
            string[] n = [network.Name];
            _networkBaseTokens.Record(network.BaseTokens, n);
            _networkTokenBalance.Record(network.TokenBalance, n);
            _networkTokenAllocation.Record(network.TokenAllocation, n);
            _networkGrantedShare.Record(network.GrantedShare, n);
            _networkWorkerShare.Record(network.WorkerShare, n);
            foreach (var domain in network.Domains) Record(network.Name, domain);
        }
        foreach (var port in snapshot.PhysicalPorts)
        {
            string[] p = [port.Network, port.Name, JsonNamingPolicy.SnakeCaseLower.ConvertName(port.Kind.ToString())];
            _physicalRxFrames.Record(port.RxFrames, p);
            _physicalRxBytes.Record(port.RxBytes, p);
            _physicalTxFrames.Record(port.TxFrames, p);
            _physicalTxBytes.Record(port.TxBytes, p);
            _physicalRxDropped.Record(port.RxDropped, p);
            _physicalTxDropped.Record(port.TxDropped, p);
            _physicalSegmented.Record(port.Segmented, p);
        }
        foreach (var sweep in _sweeps) sweep();
    }

    private void Record(string network, DomainStatus domain)
    {
        string[] d = [network, domain.Name];
        _domainTurns.Record(domain.Turns, d);
        _domainBacklog.Record(domain.Backlog, d);
        _domainTokenBalance.Record(domain.TokenBalance, d);
        _domainWorkerShare.Record(domain.WorkerShare, d);
        foreach (var port in domain.Ports)
        {
            string[] p = [network, domain.Name, port.Name];
            _portRxPackets.Record(port.RxPackets, p);
            _portRxBytes.Record(port.RxBytes, p);
            _portTxPackets.Record(port.TxPackets, p);
            _portTxBytes.Record(port.TxBytes, p);
            _portTxDropped.Record(port.TxDropped, p);
        }
        foreach (var element in domain.Elements)
        {
            _elementReceived.Record(element.Received, network, domain.Name, element.Name);
            foreach (var (counter, packets) in element.Counters) _elementPackets.Record(packets, network, domain.Name, element.Name, counter);
        }
    }

    private SnapshotGauge Gauge(string name, string help, string[] labels)
    {
        var family = new SnapshotGauge(_factory.CreateGauge(name, help, labels));
        _sweeps.Add(family.Sweep);
        return family;
    }

    private SnapshotCounter Counter(string name, string help, string[] labels)
    {
        var family = new SnapshotCounter(_factory.CreateCounter(name, help, labels));
        _sweeps.Add(family.Sweep);
        return family;
    }
}
