using Softnet.DataPlane;
using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>
/// An 802.1Q VLAN-aware learning switch. Its graph is <see cref="L2Input"/> → <see cref="L2Forward"/> →
/// <see cref="VlanEgress"/> → port output; it is built and sealed by the constructor because its shape does not
/// depend on the ports: ports (<see cref="AddPort(string, SwitchPortMode)"/>) and static entries only change the tables
/// the elements read, so they may be added at any time between runs.
/// </summary>
/// <remarks>
/// Learning is independent per VLAN. Each run stamps the MAC table with the device time in seconds and sweeps a
/// slice of it for aged entries, so that the whole table is visited once per tenth of the ageing time (at least a
/// second) at a bounded cost per run; lookups drop aged entries they meet in between.
/// </remarks>
public sealed class L2Switch : Device
{
    /// <summary>The most slots one run sweeps: a few microseconds, whatever the table size.</summary>
    private const int MaxSweepPerRun = 4096;

    private readonly VlanMembership _vlans = new();
    private readonly List<SwitchPortMode> _modes = [];
    private readonly L2Input _input;
    private readonly double _sweepPeriodSeconds;
    private double _sweepDue;
    private bool _started;
    private long _origin;
    private long _lastRun;

    public L2Switch(string name, PacketPool pool, SwitchOptions? options = null) : base(name, pool)
    {
        Options = options ?? SwitchOptions.Default;
        MacTable = new MacTable(Options.MacTableCapacity, Options.AgeingTime);
        _sweepPeriodSeconds = Math.Max(1, MacTable.AgeingTime.TotalSeconds / 10);

        _input = Graph.Add(new L2Input(_vlans, MacTable));
        var forward = Graph.Add(new L2Forward(_vlans, MacTable));
        var egress = Graph.Add(new VlanEgress(_vlans));
        Graph.Connect(_input, L2Input.Forward, forward);
        Graph.Connect(forward, L2Forward.Unicast, egress);
        Graph.Connect(forward, L2Forward.Flooded, egress);
        Graph.Connect(egress, VlanEgress.Out, Output);
        Graph.Seal();
    }

    public override string Kind => "switch";

    public SwitchOptions Options { get; }

    /// <summary>The filtering database: learned and static (VLAN, MAC) → port entries.</summary>
    public MacTable MacTable { get; }

    /// <summary>The mode of each port, by port index.</summary>
    public IReadOnlyList<SwitchPortMode> PortModes => _modes;

    protected override Element Entry => _input;

    /// <summary>Adds a port with a stable locally administered MAC address (<see cref="MacAddresses.For"/>).</summary>
    public DevicePort AddPort(string name, SwitchPortMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        if (Ports.Count > ushort.MaxValue) throw new InvalidOperationException($"Switch '{Name}' already has {Ports.Count} ports, the most it can have.");
        var port = AddPort(name, MacAddresses.For(Name, Ports.Count));
        _vlans.AddPort(mode);
        _modes.Add(mode);
        return port;
    }

    /// <summary>Pins <paramref name="mac"/> in <paramref name="vlan"/> to <paramref name="port"/>: it never ages and learning does not move it.</summary>
    public void AddStaticMac(int vlan, MacAddress mac, DevicePort port)
    {
        if (port.Device != this) throw new ArgumentException($"Port '{port.FullName}' is not a port of switch '{Name}'.", nameof(port));
        if (!mac.IsUnicast) throw new ArgumentException($"A static MAC entry needs a unicast address, not {mac}.", nameof(mac));
        if (!_modes[port.Index].Carries(vlan)) throw new ArgumentException($"Port '{port.FullName}' ({_modes[port.Index]}) does not carry VLAN {vlan}.", nameof(vlan));
        if (!MacTable.AddStatic(vlan, mac, port.Index)) throw new InvalidOperationException($"The MAC table of switch '{Name}' is full ({MacTable.Capacity} entries).");
    }

    protected override void OnTick()
    {
        if (!_started)
        {
            // The table's clock counts seconds from the first run. Receive may process a full vector before that
            // run sets Now; what it learned is stamped 0, that is, as learned at the first run.
            _started = true;
            _origin = Now;
            _lastRun = Now;
        }
        MacTable.Now = (Now - _origin) / TicksPerSecond;
        var elapsed = Now - _lastRun;
        _lastRun = Now;
        if (elapsed <= 0) return;
        var slotsPerSecond = MacTable.SlotCount / _sweepPeriodSeconds;
        _sweepDue = Math.Min(_sweepDue + (double)elapsed / TicksPerSecond * slotsPerSecond, MaxSweepPerRun);
        var slots = (int)_sweepDue;
        if (slots == 0) return;
        _sweepDue -= slots;
        MacTable.Sweep(slots);
    }
}
