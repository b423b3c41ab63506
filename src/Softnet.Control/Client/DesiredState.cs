using Softnet.Hypervisor.Forwarding;
using Softnet.Hypervisor.Topology;

namespace Softnet.Control.Client;

/// <summary>
/// One version of a node's desired state, as the controller sent it: the topology to run (the applied file plus the
/// user networks; no network when <see cref="Topology"/>'s list is empty) and the forwarding plan of each of its
/// networks, by network name. The node installs the plans; it never computes them.
/// </summary>
public sealed record DesiredState(ulong Version, TopologyFile Topology, IReadOnlyDictionary<string, NetworkPlan> Plans);
