namespace Softnet.Control.Tests.Controller;

/// <summary>Topology files and templates of the controller tests.</summary>
internal static class Files
{
    /// <summary>h1 — r1 — h2 in network <paramref name="name"/>, with <paramref name="tokens"/> base tokens.</summary>
    public static string Lab(string name = "lab", int tokens = 10) => $"""
        networks:
          - name: {name}
            architecture: ipv4
            tokens: {tokens}
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
        """;

    /// <summary>
    /// An MPLS core whose plan has every kind of entry: ECMP (pe1 reaches pe2's side through p1 and p2), IPv4 and
    /// IPv6 routes, pushed labels, swaps (p1 and p2 towards the LSR p3), pops (p3 towards pe2) and a static route.
    /// </summary>
    public const string MplsCore = """
        networks:
          - name: core
            architecture: mpls
            tokens: 8
            devices:
              - name: pe1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24", "2001:db8:1::1/64"]
                  - name: eth1
                    addresses: ["192.168.1.1/30", "2001:db8:ff01::1/64"]
                  - name: eth2
                    addresses: ["192.168.2.1/30", "2001:db8:ff02::1/64"]
              - name: p1
                kind: lsr
                interfaces:
                  - name: eth0
                    addresses: ["192.168.1.2/30", "2001:db8:ff01::2/64"]
                  - name: eth1
                    addresses: ["192.168.3.1/30", "2001:db8:ff03::1/64"]
              - name: p2
                kind: lsr
                interfaces:
                  - name: eth0
                    addresses: ["192.168.2.2/30", "2001:db8:ff02::2/64"]
                  - name: eth1
                    addresses: ["192.168.4.1/30", "2001:db8:ff04::1/64"]
              - name: p3
                kind: lsr
                interfaces:
                  - name: eth0
                    addresses: ["192.168.3.2/30", "2001:db8:ff03::2/64"]
                  - name: eth1
                    addresses: ["192.168.4.2/30", "2001:db8:ff04::2/64"]
                  - name: eth2
                    addresses: ["192.168.5.1/30", "2001:db8:ff05::1/64"]
              - name: pe2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.5.2/30", "2001:db8:ff05::2/64"]
                  - name: eth1
                    addresses: ["10.0.2.1/24", "2001:db8:2::1/64"]
                routes:
                  - prefix: 172.16.0.0/16
                    via: 10.0.2.10
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
            links:
              - endpoints: ["h1:eth0", "pe1:eth0"]
              - endpoints: ["pe1:eth1", "p1:eth0"]
              - endpoints: ["pe1:eth2", "p2:eth0"]
              - endpoints: ["p1:eth1", "p3:eth0"]
              - endpoints: ["p2:eth1", "p3:eth1"]
              - endpoints: ["p3:eth2", "pe2:eth0"]
              - endpoints: ["pe2:eth1", "h2:eth0"]
        """;
}
