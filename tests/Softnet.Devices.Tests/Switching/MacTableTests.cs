using Softnet.Devices.Switching;
using Softnet.Wire;

namespace Softnet.Devices.Tests.Switching;

public sealed class MacTableTests
{
    [Fact]
    public void Random_learning_lookups_and_removals_agree_with_a_dictionary()
    {
        var random = new Random(12345);
        var table = new MacTable(capacity: 300, TimeSpan.FromSeconds(300));
        var reference = new Dictionary<(int Vlan, ulong Mac), int>();
        for (var step = 0; step < 100_000; step++)
        {
            var vlan = random.Next(1, 4);
            var mac = new MacAddress(0x0000_5e00_0000UL + (ulong)random.Next(200));
            var key = (vlan, mac.Value);
            switch (random.Next(3))
            {
                case 0:
                    var port = random.Next(8);
                    table.Learn(vlan, mac, port);
                    if (reference.ContainsKey(key) || reference.Count < table.Capacity) reference[key] = port;
                    break;
                case 1:
                    Assert.Equal(reference.Remove(key), table.Remove(vlan, mac));
                    break;
                default:
                    var found = table.TryLookup(vlan, mac, out var actual);
                    Assert.Equal(reference.TryGetValue(key, out var expected), found);
                    if (found) Assert.Equal(expected, actual);
                    break;
            }
            Assert.Equal(reference.Count, table.Count);
        }

        var entries = table.Entries().ToDictionary(e => (e.Vlan, e.Mac.Value), e => e.Port);
        Assert.Equal(reference.OrderBy(p => p.Key), entries.OrderBy(p => p.Key));
    }

    [Fact]
    public void Heavy_churn_in_a_nearly_full_table_keeps_every_entry_reachable()
    {
        var random = new Random(99);
        var table = new MacTable(capacity: 40, TimeSpan.FromSeconds(300));
        var reference = new Dictionary<ulong, int>();
        for (var step = 0; step < 100_000; step++)
        {
            var mac = (ulong)random.Next(0, 64) << 1;
            if (reference.Count >= 38 || random.Next(2) == 0)
            {
                Assert.Equal(reference.Remove(mac), table.Remove(1, new MacAddress(mac)));
            }
            else
            {
                table.Learn(1, new MacAddress(mac), (int)(mac % 5));
                reference[mac] = (int)(mac % 5);
            }
        }
        foreach (var (mac, port) in reference)
        {
            Assert.True(table.TryLookup(1, new MacAddress(mac), out var found));
            Assert.Equal(port, found);
        }
        Assert.Equal(reference.Count, table.Count);
    }

    [Fact]
    public void Entries_age_to_the_second_on_lookup_and_on_sweep()
    {
        var table = new MacTable(capacity: 100, TimeSpan.FromSeconds(30)) { Now = 500 };
        table.Learn(1, new MacAddress(0xA), 1);
        table.Learn(1, new MacAddress(0xB), 2);
        table.Now = 520;
        table.Learn(1, new MacAddress(0xB), 2);

        table.Now = 529;
        Assert.True(table.TryLookup(1, new MacAddress(0xA), out _));
        Assert.Equal(TimeSpan.FromSeconds(29), table.Entries().Single(e => e.Mac.Value == 0xA).Age);

        table.Now = 530;
        Assert.False(table.TryLookup(1, new MacAddress(0xA), out _));
        Assert.Equal(1, table.Count);

        table.Now = 550;
        Assert.Empty(table.Entries());
        Assert.Equal(1, table.Sweep(table.SlotCount));
        Assert.Equal(0, table.Count);
        Assert.Equal(2, table.Aged);
    }

    [Fact]
    public void A_full_table_refuses_new_addresses_but_refreshes_and_moves_known_ones()
    {
        var table = new MacTable(capacity: 2, TimeSpan.FromSeconds(300));
        table.Learn(1, new MacAddress(1), 0);
        table.Learn(2, new MacAddress(1), 0);
        table.Learn(3, new MacAddress(1), 0);
        table.Learn(2, new MacAddress(1), 4);

        Assert.Equal(1, table.TableFull);
        Assert.Equal(1, table.Moved);
        Assert.Equal(2, table.Learned);
        Assert.True(table.TryLookup(2, new MacAddress(1), out var port));
        Assert.Equal(4, port);
        Assert.False(table.AddStatic(5, new MacAddress(9), 1));
        Assert.True(table.AddStatic(1, new MacAddress(1), 3));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void It_holds_a_million_entries()
    {
        var table = new MacTable(capacity: 1 << 20, TimeSpan.FromSeconds(300));
        for (var i = 0; i < 1 << 20; i++) table.Learn(1 + (i & 7), new MacAddress(0x0000_5e00_0000UL + (ulong)(i >> 3)), i & 0xFFFF);

        Assert.Equal(1 << 20, table.Count);
        Assert.Equal(0, table.TableFull);
        for (var i = 0; i < 1 << 20; i += 997)
        {
            Assert.True(table.TryLookup(1 + (i & 7), new MacAddress(0x0000_5e00_0000UL + (ulong)(i >> 3)), out var port));
            Assert.Equal(i & 0xFFFF, port);
        }
        Assert.False(table.TryLookup(9, new MacAddress(0x0000_5e00_0000UL), out _));
    }
}
