using Softnet.Devices.Switching;
using Softnet.Wire;
using Pd = PacketDotNet;
using static Softnet.Devices.Tests.Switching.SwitchFrames;

namespace Softnet.Devices.Tests.Switching;

/// <summary>The tags the switch writes, decoded by an independent implementation (PacketDotNet).</summary>
public sealed class PacketDotNetTagTests
{
    private const ushort LocalExperimental = 0x88B5;

    [Fact]
    public void Tags_relayed_trunk_to_trunk_decode_with_their_vid_priority_and_dei()
    {
        var sw = new SwitchHarness();
        var everyVlan = Enumerable.Range(SwitchPortMode.MinVlan, SwitchPortMode.MaxVlan);
        sw.AddPort("t1", SwitchPortMode.Trunk(everyVlan));
        sw.AddPort("t2", SwitchPortMode.Trunk(everyVlan));
        var random = new Random(8021);
        for (var i = 0; i < 200; i++)
        {
            var (vlan, priority, dropEligible) = (random.Next(1, 4095), random.Next(8), random.Next(2) == 1);
            var frame = Tagged(MacAddress.Broadcast, A, vlan, priority, dropEligible, payloadLength: random.Next(46, 1500), etherType: LocalExperimental);

            sw.Send("t1", frame);

            var sent = Assert.Single(sw.Take("t2"));
            var tag = Decode(sent);
            Assert.Equal(vlan, tag.VlanIdentifier);
            Assert.Equal(priority, (int)tag.PriorityControlPoint);
            Assert.Equal(dropEligible, tag.CanonicalFormatIndicator);
            Assert.Equal(frame[18..], tag.PayloadData);
        }
    }

    [Fact]
    public void Tags_pushed_on_untagged_frames_decode_with_the_access_vlan_and_priority_0()
    {
        var sw = new SwitchHarness();
        sw.AddPort("access", SwitchPortMode.Access(4094));
        sw.AddPort("trunk", SwitchPortMode.Trunk([4094]));
        var frame = Untagged(MacAddress.Broadcast, A, payloadLength: 100, etherType: LocalExperimental);

        sw.Send("access", frame);

        var tag = Decode(Assert.Single(sw.Take("trunk")));
        Assert.Equal(4094, tag.VlanIdentifier);
        Assert.Equal(0, (int)tag.PriorityControlPoint);
        Assert.Equal(LocalExperimental, (ushort)tag.Type);
        Assert.Equal(frame[14..], tag.PayloadData);
    }

    private static Pd.Ieee8021QPacket Decode(byte[] frame)
    {
        var ethernet = (Pd.EthernetPacket)Pd.Packet.ParsePacket(Pd.LinkLayers.Ethernet, frame);
        Assert.Equal(Pd.EthernetType.VLanTaggedFrame, ethernet.Type);
        return ethernet.Extract<Pd.Ieee8021QPacket>();
    }
}
