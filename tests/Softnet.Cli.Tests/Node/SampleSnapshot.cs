using Softnet.Hypervisor.Runtime;
using Softnet.Hypervisor.Scheduling;
using Softnet.Hypervisor.Topology;

namespace Softnet.Cli.Tests.Node;

/// <summary>A hand-made snapshot of two networks whose every number is distinct, so that a rendering can be checked number by number.</summary>
internal static class SampleSnapshot
{
    public static HypervisorSnapshot Create() => new(
        new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero),
        Workers: 2,
        Redistributions: 31,
        new PoolStatus(Capacity: 8192, InUse: 17, BufferSize: 66_048),
        [
            new NetworkStatus("lab", NetworkArchitecture.Ipv4, BaseTokens: 10, PriorityKind.Relative, TokenBalance: 12_345, TokenAllocation: 163_840,
                GrantedShare: 0.625, WorkerShare: 0.4375,
                [
                    new DomainStatus("r1", "router", BaseTokens: 1, TokenBalance: 2048, WorkerShare: 0.25, Turns: 98_765, Backlog: 3,
                        [
                            new PortStatus("eth0", "02:00:00:00:00:01", "h1:eth0 via sn-lab-h1/eth0", RxPackets: 1111, RxBytes: 2_222_333, TxPackets: 4444, TxBytes: 5_555_666, TxDropped: 7),
                            new PortStatus("eth1", "02:00:00:00:00:02", "h2:eth0 via sn-lab-h2/eth0", RxPackets: 4321, RxBytes: 654_321, TxPackets: 1234, TxBytes: 123_456, TxDropped: 0),
                        ],
                        [
                            new ElementStatus("ethernet-input", 0, new Dictionary<string, long>()),
                            new ElementStatus("ip4-lookup", 900, new Dictionary<string, long> { ["rewrite"] = 893, ["drop:no-route"] = 7 }),
                        ]),
                ],
                [
                    new HostStatus("h1", "sn-lab-h1", "sn-lab-h1/eth0", PhysicalPortKind.Tap, ["10.0.1.10/24"]),
                    new HostStatus("h2", "sn-lab-h2", "sn-lab-h2/eth0", PhysicalPortKind.Tap, ["10.0.2.10/24"]),
                ]),
            new NetworkStatus("blue", NetworkArchitecture.Ethernet, BaseTokens: 6, PriorityKind.None, TokenBalance: -512, TokenAllocation: 98_304,
                GrantedShare: 0.375, WorkerShare: 0.0625,
                [
                    new DomainStatus("s1", "switch", BaseTokens: 1, TokenBalance: -512, WorkerShare: 0.0625, Turns: 55, Backlog: 0,
                        [new PortStatus("eth1", "02:00:00:00:00:03", "h3:eth0 via snv0123456789ab", 5, 600, 8, 900, 0)],
                        [new ElementStatus("l2-switch", 13, new Dictionary<string, long> { ["flood"] = 13 })]),
                ],
                [new HostStatus("h3", "sn-blue-h3", "snv0123456789ab", PhysicalPortKind.AfPacket, ["192.168.7.3/24"])]),
        ],
        [
            new PhysicalPortStatus("sn-lab-h1/eth0", PhysicalPortKind.Tap, "lab", "r1:eth0", RxFrames: 777_001, RxBytes: 88_002, TxFrames: 99_003, TxBytes: 11_004,
                RxDropped: 12, TxDropped: 13, Segmented: 14),
            new PhysicalPortStatus("snv0123456789ab", PhysicalPortKind.AfPacket, "blue", "s1:eth1", 5, 600, 8, 900, 0, 0, 0),
        ])
    {
        WorkerAllocatedBytes = 4_096,
    };
}
