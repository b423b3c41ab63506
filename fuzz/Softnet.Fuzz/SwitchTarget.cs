using Softnet.Devices.Switching;
using Softnet.Wire;

namespace Softnet.Fuzz;

/// <summary>
/// The <c>switch</c> target: s1 with an access port in VLAN 10, a trunk of VLANs 10, 20, 30 with native VLAN 1, a
/// tagged-only trunk of 20 and 30 and an access port in VLAN 20; a static entry for 02:00:00:00:00:0a in VLAN 10 and a
/// MAC table of 64 entries ageing after 10 s, so that fuzzing fills it, moves stations and ages them out.
/// </summary>
/// <remarks>Each input is delivered on every port in turn; then a second passes and the pool must be whole again.</remarks>
internal sealed class SwitchTarget : DeviceTarget
{
    public static readonly MacAddress StaticMac = MacAddress.Parse("02:00:00:00:00:0a");

    public SwitchTarget() : base(poolCapacity: 256)
    {
        var device = new L2Switch("s1", Pool, new SwitchOptions { MacTableCapacity = 64, AgeingTime = TimeSpan.FromSeconds(10) });
        Loop.Add(device);
        Wire(device.AddPort("eth0", SwitchPortMode.Access(10)));
        Wire(device.AddPort("eth1", SwitchPortMode.Trunk([10, 20, 30], nativeVlan: 1)));
        Wire(device.AddPort("eth2", SwitchPortMode.Trunk([20, 30])));
        Wire(device.AddPort("eth3", SwitchPortMode.Access(20)));
        device.AddStaticMac(10, StaticMac, device.Port("eth0"));
    }

    public override void Run(ReadOnlySpan<byte> input)
    {
        for (var port = 0; port < PortCount; port++) Deliver(port, input);
        Settle(TimeSpan.FromSeconds(1));
    }
}
