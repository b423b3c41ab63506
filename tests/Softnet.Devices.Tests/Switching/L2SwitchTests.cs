using Softnet.Devices.Switching;
using Softnet.Wire;
using static Softnet.Devices.Tests.Switching.SwitchFrames;

namespace Softnet.Devices.Tests.Switching;

public sealed class L2SwitchTests
{
    private static SwitchHarness AccessSwitch(int ports, SwitchOptions? options = null)
    {
        var harness = new SwitchHarness(options);
        for (var i = 0; i < ports; i++) harness.AddPort($"eth{i}", SwitchPortMode.Access());
        return harness;
    }

    [Fact]
    public void A_learned_address_is_reached_through_its_port_only()
    {
        var sw = AccessSwitch(3);
        var aToB = Untagged(B, A);
        var bToA = Untagged(A, B, payloadLength: 100);

        sw.Send("eth0", aToB);
        var flooded = sw.TakeAll();
        Assert.Equal([aToB], flooded["eth1"]);
        Assert.Equal([aToB], flooded["eth2"]);
        Assert.Empty(flooded["eth0"]);

        sw.Send("eth1", bToA);
        var replied = sw.TakeAll();
        Assert.Equal([bToA], replied["eth0"]);
        Assert.Empty(replied["eth1"]);
        Assert.Empty(replied["eth2"]);

        sw.Send("eth0", aToB);
        var unicast = sw.TakeAll();
        Assert.Equal([aToB], unicast["eth1"]);
        Assert.Empty(unicast["eth0"]);
        Assert.Empty(unicast["eth2"]);

        var forward = sw.Switch.Graph.Elements.OfType<L2Forward>().Single();
        Assert.Equal(2, forward.Counters.Emitted(L2Forward.Unicast));
        Assert.Equal(2, forward.Counters.Emitted(L2Forward.Flooded));
        Assert.Equal(2, sw.Switch.MacTable.Count);
        Assert.Equal(sw.Pool.Capacity, sw.Pool.Available);
    }

    [Fact]
    public void Unknown_unicast_broadcast_and_multicast_flood_to_the_other_ports_of_the_vlan_only()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Access(10));
        sw.AddPort("eth1", SwitchPortMode.Access(10));
        sw.AddPort("eth2", SwitchPortMode.Access(20));
        sw.AddPort("eth3", SwitchPortMode.Trunk([10, 20]));
        sw.AddPort("eth4", SwitchPortMode.Trunk([20, 30]));

        foreach (var destination in new[] { C, MacAddress.Broadcast, MacAddress.Parse("01:00:5e:00:00:fb", null) })
        {
            var frame = Untagged(destination, A);
            sw.Send("eth0", frame);
            var sent = sw.TakeAll();
            Assert.Empty(sent["eth0"]);
            Assert.Equal([frame], sent["eth1"]);
            Assert.Empty(sent["eth2"]);
            Assert.Equal([Tag(frame, 10)], sent["eth3"]);
            Assert.Empty(sent["eth4"]);
        }
    }

    [Fact]
    public void A_frame_is_never_sent_back_out_of_the_port_it_came_in_on()
    {
        var sw = AccessSwitch(2);
        sw.Send("eth0", Untagged(MacAddress.Broadcast, B));
        sw.TakeAll();

        sw.Send("eth0", Untagged(B, A));

        Assert.All(sw.TakeAll().Values, Assert.Empty);
        Assert.Equal(1, sw.Dropped("same-port"));
    }

    [Fact]
    public void Access_to_trunk_pushes_a_tag_with_the_access_vlan()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Access(0x123));
        sw.AddPort("eth1", SwitchPortMode.Trunk([0x123]));
        var frame = Untagged(B, A, payloadLength: 4, etherType: 0x0806);

        sw.Send("eth0", frame);

        byte[] expected =
        [
            0x00, 0x00, 0x5e, 0x00, 0x53, 0x0b, // destination
            0x00, 0x00, 0x5e, 0x00, 0x53, 0x0a, // source
            0x81, 0x00, 0x01, 0x23,             // TPID, PCP 0 DEI 0 VID 0x123
            0x08, 0x06,                         // the original EtherType
            frame[14], frame[15], frame[16], frame[17],
        ];
        Assert.Equal([expected], sw.Take("eth1"));
    }

    [Fact]
    public void Trunk_to_access_strips_the_tag_and_keeps_the_payload()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Trunk([5, 7]));
        sw.AddPort("eth1", SwitchPortMode.Access(7));
        var tagged = Tagged(B, A, vlan: 7, priority: 6, payloadLength: 300);

        sw.Send("eth0", tagged);

        var sent = Assert.Single(sw.Take("eth1"));
        Assert.Equal(Untag(tagged), sent);
        Assert.Equal(tagged[18..], sent[14..]);
        Assert.Equal(new byte[] { 0x08, 0x00 }, sent[12..14]);
    }

    [Fact]
    public void Trunk_to_trunk_keeps_the_tag_with_its_priority_and_drop_eligibility()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Trunk([100, 200]));
        sw.AddPort("eth1", SwitchPortMode.Trunk([200]));
        var tagged = Tagged(MacAddress.Broadcast, A, vlan: 200, priority: 5, dropEligible: true);

        sw.Send("eth0", tagged);

        Assert.Equal([tagged], sw.Take("eth1"));
    }

    [Fact]
    public void A_priority_tagged_frame_joins_the_port_vlan_and_keeps_its_priority()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Access(30));
        sw.AddPort("eth1", SwitchPortMode.Trunk([30]));
        sw.AddPort("eth2", SwitchPortMode.Access(30));
        var priorityTagged = Tagged(MacAddress.Broadcast, A, vlan: 0, priority: 3);

        sw.Send("eth0", priorityTagged);

        Assert.Equal([Tagged(MacAddress.Broadcast, A, vlan: 30, priority: 3)], sw.Take("eth1"));
        Assert.Equal([Untag(priorityTagged)], sw.Take("eth2"));
    }

    [Fact]
    public void The_native_vlan_of_a_trunk_travels_untagged()
    {
        var sw = new SwitchHarness();
        sw.AddPort("trunk", SwitchPortMode.Trunk([10], nativeVlan: 99));
        sw.AddPort("native", SwitchPortMode.Access(99));
        sw.AddPort("ten", SwitchPortMode.Access(10));
        var untagged = Untagged(MacAddress.Broadcast, A);
        var taggedNative = Tagged(MacAddress.Broadcast, B, vlan: 99);

        sw.Send("trunk", untagged, taggedNative);
        Assert.Equal([untagged, Untag(taggedNative)], sw.Take("native"));
        Assert.Empty(sw.Take("ten"));

        var fromNative = Untagged(MacAddress.Broadcast, C);
        sw.Send("native", fromNative);
        Assert.Equal([fromNative], sw.Take("trunk"));
        Assert.Equal(SwitchPortMode.Trunk([10, 99], nativeVlan: 99), sw.Switch.PortModes[0]);
    }

    [Fact]
    public void Frames_of_a_vlan_the_port_does_not_carry_are_dropped_and_counted()
    {
        var sw = new SwitchHarness();
        sw.AddPort("trunk", SwitchPortMode.Trunk([10, 20]));
        sw.AddPort("access", SwitchPortMode.Access(10));
        sw.AddPort("other", SwitchPortMode.Trunk([10, 20, 30], nativeVlan: 1));

        sw.Send("trunk", Tagged(MacAddress.Broadcast, A, vlan: 30), Tagged(MacAddress.Broadcast, A, vlan: 4095));
        sw.Send("trunk", Untagged(MacAddress.Broadcast, A), Tagged(MacAddress.Broadcast, A, vlan: 0));
        sw.Send("access", Tagged(MacAddress.Broadcast, B, vlan: 20));

        Assert.All(sw.TakeAll().Values, Assert.Empty);
        Assert.Equal(3, sw.Dropped("vlan-not-allowed"));
        Assert.Equal(2, sw.Dropped("untagged-not-allowed"));
        Assert.Equal(0, sw.Switch.MacTable.Count);
        Assert.Equal(sw.Pool.Capacity, sw.Pool.Available);
    }

    [Fact]
    public void Malformed_frames_group_sources_and_reserved_destinations_are_dropped_and_counted()
    {
        var sw = AccessSwitch(2);

        sw.Send("eth0", new byte[13], Tagged(B, A, vlan: 1, payloadLength: 0)[..17]);
        sw.Send("eth0", Untagged(B, MacAddress.Broadcast), Untagged(B, MacAddress.Parse("01:00:5e:01:02:03", null)));
        sw.Send("eth0", Untagged(MacAddress.Parse("01:80:c2:00:00:00", null), A), Untagged(MacAddress.Parse("01:80:c2:00:00:0e", null), A));

        Assert.All(sw.TakeAll().Values, Assert.Empty);
        Assert.Equal(2, sw.Dropped("malformed"));
        Assert.Equal(2, sw.Dropped("multicast-source"));
        Assert.Equal(2, sw.Dropped("reserved-destination"));
        Assert.Equal(6, sw.TotalDropped);
        Assert.Equal(0, sw.Switch.MacTable.Count);
    }

    [Fact]
    public void Learned_entries_age_out_after_the_ageing_time()
    {
        var sw = AccessSwitch(3, new SwitchOptions { AgeingTime = TimeSpan.FromSeconds(60) });
        sw.Send("eth0", Untagged(MacAddress.Broadcast, A));
        sw.TakeAll();

        sw.Clock.Advance(TimeSpan.FromSeconds(59));
        sw.Send("eth1", Untagged(A, B));
        Assert.Single(sw.Take("eth0"));
        Assert.Empty(sw.Take("eth2"));

        sw.Clock.Advance(TimeSpan.FromSeconds(1));
        sw.Send("eth1", Untagged(A, B));
        Assert.Single(sw.Take("eth0"));
        Assert.Single(sw.Take("eth2"));
        var entry = Assert.Single(sw.Switch.MacTable.Entries());
        Assert.Equal(new MacEntry(1, B, 1, IsStatic: false, TimeSpan.Zero), entry);
        Assert.Equal(1, sw.Switch.MacTable.Aged);
    }

    [Fact]
    public void The_periodic_sweep_removes_aged_entries_nobody_looks_up()
    {
        var sw = AccessSwitch(2, new SwitchOptions { AgeingTime = TimeSpan.FromSeconds(10), MacTableCapacity = 1000 });
        var frames = Enumerable.Range(0, 500).Select(i => Untagged(MacAddress.Broadcast, new MacAddress(0x0000_5e00_1000UL + (ulong)i))).ToArray();
        sw.Send("eth0", frames);
        sw.TakeAll();
        Assert.Equal(500, sw.Switch.MacTable.Count);

        sw.Clock.Advance(TimeSpan.FromSeconds(5));
        sw.Send("eth1", Untagged(MacAddress.Broadcast, B));
        sw.TakeAll();
        Assert.Equal(501, sw.Switch.MacTable.Count);

        for (var second = 0; second < 6; second++)
        {
            sw.Clock.Advance(TimeSpan.FromSeconds(1));
            sw.Send("eth1", []);
        }

        Assert.Equal([B], sw.Switch.MacTable.Entries().Select(e => e.Mac));
        Assert.Equal(1, sw.Switch.MacTable.Count);
        Assert.Equal(500, sw.Switch.MacTable.Aged);
    }

    [Fact]
    public void An_address_that_moves_to_another_port_is_followed()
    {
        var sw = AccessSwitch(3);
        sw.Send("eth0", Untagged(MacAddress.Broadcast, A));
        sw.Send("eth1", Untagged(MacAddress.Broadcast, A));
        sw.TakeAll();

        sw.Send("eth2", Untagged(A, B));

        var sent = sw.TakeAll();
        Assert.Single(sent["eth1"]);
        Assert.Empty(sent["eth0"]);
        Assert.Equal(1, sw.Switch.MacTable.Moved);
        Assert.Contains(new MacEntry(1, A, 1, IsStatic: false, TimeSpan.Zero), sw.Switch.MacTable.Entries());
    }

    [Fact]
    public void Learning_is_separate_per_vlan()
    {
        var sw = new SwitchHarness();
        sw.AddPort("t1", SwitchPortMode.Trunk([10, 20]));
        sw.AddPort("t2", SwitchPortMode.Trunk([10, 20]));
        sw.AddPort("t3", SwitchPortMode.Trunk([10, 20]));
        sw.Send("t1", Tagged(MacAddress.Broadcast, A, vlan: 10));
        sw.TakeAll();

        var inTwenty = Tagged(A, B, vlan: 20);
        sw.Send("t2", inTwenty);

        var sent = sw.TakeAll();
        Assert.Equal([inTwenty], sent["t1"]);
        Assert.Equal([inTwenty], sent["t3"]);
    }

    [Fact]
    public void A_full_table_learns_nothing_more_and_counts_it()
    {
        var sw = AccessSwitch(3, new SwitchOptions { MacTableCapacity = 2 });
        sw.Send("eth0", Untagged(MacAddress.Broadcast, A));
        sw.Send("eth1", Untagged(MacAddress.Broadcast, B));
        sw.Send("eth2", Untagged(MacAddress.Broadcast, C));
        sw.TakeAll();

        sw.Send("eth0", Untagged(C, A));

        var sent = sw.TakeAll();
        Assert.Single(sent["eth1"]);
        Assert.Single(sent["eth2"]);
        Assert.Equal(2, sw.Switch.MacTable.Count);
        Assert.Equal(1, sw.Switch.MacTable.TableFull);
        Assert.Throws<InvalidOperationException>(() => sw.Switch.AddStaticMac(1, D, sw.Switch.Port("eth2")));
    }

    [Fact]
    public void A_static_entry_never_ages_and_is_not_moved_by_learning()
    {
        var sw = AccessSwitch(3, new SwitchOptions { AgeingTime = TimeSpan.FromSeconds(10) });
        sw.Switch.AddStaticMac(1, A, sw.Switch.Port("eth2"));

        sw.Send("eth0", Untagged(MacAddress.Broadcast, A));
        sw.TakeAll();
        sw.Clock.Advance(TimeSpan.FromHours(1));
        sw.Send("eth1", Untagged(A, B));

        var sent = sw.TakeAll();
        Assert.Single(sent["eth2"]);
        Assert.Empty(sent["eth0"]);
        Assert.Contains(new MacEntry(1, A, 2, IsStatic: true, TimeSpan.Zero), sw.Switch.MacTable.Entries());
        Assert.Throws<ArgumentException>(() => sw.Switch.AddStaticMac(7, B, sw.Switch.Port("eth0")));
    }

    [Fact]
    public void A_flood_copy_the_pool_cannot_hold_is_counted()
    {
        var sw = new SwitchHarness(poolCapacity: 2);
        for (var i = 0; i < 4; i++) sw.AddPort($"eth{i}", SwitchPortMode.Access());

        sw.Send("eth0", Untagged(MacAddress.Broadcast, A));

        var sent = sw.TakeAll();
        Assert.Equal(2, sent.Values.Sum(frames => frames.Count));
        Assert.Single(sent["eth3"]);
        Assert.Equal(1, sw.Switch.Graph.Elements.OfType<L2Forward>().Single().Counters.Dropped(L2Forward.CloneFailed));
    }

    [Fact]
    public void A_frame_without_headroom_for_a_tag_is_dropped_and_counted()
    {
        var sw = new SwitchHarness();
        sw.AddPort("eth0", SwitchPortMode.Access(10));
        sw.AddPort("eth1", SwitchPortMode.Trunk([10]));
        var frame = Untagged(MacAddress.Broadcast, A);
        Assert.True(sw.Pool.TryAllocate(out var handle));
        sw.Pool.Prepend(handle, sw.Pool.Meta(handle).Offset - 2);
        frame.CopyTo(sw.Pool.SetLength(handle, frame.Length));

        sw.Switch.Receive(0, [handle]);
        sw.Switch.Run(0, 1);
        sw.Switch.Flush();

        Assert.Empty(sw.Take("eth1"));
        Assert.Equal(1, sw.Dropped("no-headroom"));
    }

    [Fact]
    public void Ports_get_distinct_locally_administered_unicast_addresses_and_modes_validate_vlans()
    {
        var sw = AccessSwitch(3);
        var macs = sw.Switch.Ports.Select(p => p.Mac).ToList();
        Assert.Equal(3, macs.Distinct().Count());
        Assert.All(macs, mac => Assert.Equal(0x02, (byte)(mac.Value >> 40)));
        Assert.Equal("switch", sw.Switch.Kind);

        Assert.Throws<ArgumentOutOfRangeException>(() => SwitchPortMode.Access(4095));
        Assert.Throws<ArgumentOutOfRangeException>(() => SwitchPortMode.Trunk([1, 0]));
        Assert.Throws<ArgumentException>(() => SwitchPortMode.Trunk([]));
        Assert.Equal("trunk vlans 1,10,20 native 1", SwitchPortMode.Trunk([20, 10, 10], nativeVlan: 1).ToString());
        Assert.Equal("access vlan 7", SwitchPortMode.Access(7).ToString());
    }
}
