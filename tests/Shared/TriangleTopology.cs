namespace Softnet.Tests.Shared;

/// <summary>
/// A triangle of routers, h1 on r1 and h2 on r2, with no route of its own (a controller computes them): r1 reaches h2
/// directly over r1 — r2, and through r3 when that link is down.
/// </summary>
public static class TriangleTopology
{
    public static string Yaml(string network, string phy) => $"""
        networks:
          - name: {network}
            architecture: ipv4
            tokens: 10
            devices:
              - name: r1
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["10.0.1.1/24"]
                  - name: eth1
                    addresses: ["192.168.12.1/30"]
                  - name: eth2
                    addresses: ["192.168.13.1/30"]
              - name: r2
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.12.2/30"]
                  - name: eth1
                    addresses: ["192.168.23.1/30"]
                  - name: eth2
                    addresses: ["10.0.2.1/24"]
              - name: r3
                kind: router
                interfaces:
                  - name: eth0
                    addresses: ["192.168.23.2/30"]
                  - name: eth1
                    addresses: ["192.168.13.2/30"]
            hosts:
              - name: h1
                address: 10.0.1.10/24
                gateway: 10.0.1.1
                phy: {phy}
              - name: h2
                address: 10.0.2.10/24
                gateway: 10.0.2.1
                phy: {phy}
            links:
              - endpoints: ["h1:eth0", "r1:eth0"]
              - endpoints: ["r1:eth1", "r2:eth0"]
              - endpoints: ["r2:eth1", "r3:eth0"]
              - endpoints: ["r3:eth1", "r1:eth2"]
              - endpoints: ["r2:eth2", "h2:eth0"]
        """;
}
