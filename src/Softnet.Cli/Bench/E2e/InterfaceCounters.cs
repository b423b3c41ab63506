using System.Text.Json;
using Softnet.Hypervisor.Linux;

namespace Softnet.Cli.Bench.E2e;

/// <summary>The kernel's packet counters of a host's <c>eth0</c> (<c>ip -s -j link show</c>).</summary>
public readonly record struct InterfaceCounters(long RxPackets, long TxPackets, long TxDropped)
{
    /// <summary>Frames the host tried to send: sent, or dropped at its own interface (a full TAP queue).</summary>
    public long TxOffered => TxPackets + TxDropped;

    internal static InterfaceCounters Read(string ns) => Parse(Ip.Run("-n", ns, "-s", "-j", "link", "show", "dev", "eth0"));

    /// <summary>Reads the first interface of <c>ip -s -j link show</c>'s output.</summary>
    /// <exception cref="FormatException">The output lacks the stats64 counters.</exception>
    public static InterfaceCounters Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() == 0
            || !document.RootElement[0].TryGetProperty("stats64", out var stats))
            throw new FormatException("`ip -s -j link show` printed no stats64 counters.");
        var rx = stats.GetProperty("rx");
        var tx = stats.GetProperty("tx");
        return new InterfaceCounters(rx.GetProperty("packets").GetInt64(), tx.GetProperty("packets").GetInt64(), tx.GetProperty("dropped").GetInt64());
    }
}
