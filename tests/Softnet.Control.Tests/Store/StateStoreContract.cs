using Softnet.Control.Store;

namespace Softnet.Control.Tests.Store;

/// <summary>What every <see cref="IStateStore"/> must do; each store's test class says how to open one.</summary>
public abstract class StateStoreContract
{
    private const string Topology = """
        networks:
          - name: lab # "quoted", <angled> & non-ASCII: é → ü
            architecture: ipv4
            tokens: 10
        """;

    private static readonly UserNetwork Alice =
        new("alice", "networks:\n  - name: alice\n", "templates/small.yaml", new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(2)).AddTicks(1234567));

    private static readonly UserNetwork Bob =
        new("bob", "networks:\n  - name: bob\n", "templates/large.yaml", new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.Zero));

    private static readonly UserNetwork Carol =
        new("carol/étude", "networks: []\n", "api", new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.FromHours(-5)));

    private static readonly StoredLink R1R2 = new("lab", "r1:eth1", "r2:eth0", "node-a", new DateTimeOffset(2026, 3, 3, 8, 0, 1, TimeSpan.FromHours(1)).AddTicks(42));

    private static readonly StoredLink R2H2 = new("user-bob", "h2:eth0", "r2:eth2", "node-b", new DateTimeOffset(2026, 3, 3, 8, 5, 0, TimeSpan.Zero));

    /// <summary>A new store instance over the same storage as every other one this test opens.</summary>
    protected abstract IStateStore Open();

    [Fact]
    public async Task NothingSavedLoadsNull()
    {
        await using var store = Open();
        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SavedStateLoadsBackExactly()
    {
        await using var store = Open();
        var state = new StoredState(ulong.MaxValue, Topology, "/etc/softnet/topology.yaml", [Carol, Alice]);

        await store.SaveAsync(state, CancellationToken.None);

        AssertState(state with { Users = [Alice, Carol] }, await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EachSaveReplacesTheVersionAndTopology()
    {
        await using var store = Open();
        for (ulong version = 1; version <= 3; version++)
        {
            var state = new StoredState(version, $"# version {version}\n{Topology}", $"apply {version}", [Alice]);
            await store.SaveAsync(state, CancellationToken.None);
            AssertState(state, await store.LoadAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task UsersAreAddedAndRemoved()
    {
        await using var store = Open();
        var state = new StoredState(1, Topology, "t.yaml", []);
        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));

        state = state with { Version = 2, Users = [Alice, Bob] };
        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));

        var bobReconnected = Bob with { TemplateYaml = "networks:\n  - name: bob2\n", Connected = Bob.Connected.AddHours(1) };
        state = state with { Version = 3, Users = [bobReconnected, Carol] };
        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));

        state = state with { Version = 4, Users = [] };
        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LinksDownAreSavedWithTheStateInOrderAndGoWhenASaveHasNone()
    {
        await using var store = Open();
        var state = new StoredState(1, Topology, "t.yaml", [Bob]) { DownLinks = [R2H2, R1R2] };

        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));

        state = state with { Version = 2, DownLinks = [R1R2] };
        await store.SaveAsync(state, CancellationToken.None);
        await using (var reopened = Open())
        {
            AssertState(state, await reopened.LoadAsync(CancellationToken.None));
        }

        state = state with { Version = 3, DownLinks = [] };
        await store.SaveAsync(state, CancellationToken.None);
        AssertState(state, await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ALinkDownWithoutNetworkOrEndsIsRefusedAndChangesNothing()
    {
        await using var store = Open();
        var state = new StoredState(1, Topology, "t.yaml", []) { DownLinks = [R1R2] };
        await store.SaveAsync(state, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArgumentException>(
            () => store.SaveAsync(state with { Version = 2, DownLinks = [R1R2 with { B = "" }] }, CancellationToken.None));
        Assert.Contains("every link down needs a network, two ends and a node", refused.Message);

        AssertState(state, await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ANewInstanceReadsWhatADisposedOneSaved()
    {
        var state = new StoredState(42, Topology, "topology.yaml", [Alice, Bob]);
        await using (var writer = Open())
        {
            await writer.SaveAsync(state, CancellationToken.None);
        }

        await using var reader = Open();
        AssertState(state, await reader.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AStateThatCannotBeStoredIsRefusedAndChangesNothing()
    {
        await using var store = Open();
        var state = new StoredState(1, Topology, "t.yaml", [Alice]);
        await store.SaveAsync(state, CancellationToken.None);

        var twice = await Assert.ThrowsAsync<ArgumentException>(
            () => store.SaveAsync(state with { Version = 2, Users = [Alice, Bob, Alice with { TemplateSource = "x" }] }, CancellationToken.None));
        Assert.Contains("user \"alice\" appears twice", twice.Message);
        await Assert.ThrowsAsync<ArgumentException>(
            () => store.SaveAsync(state with { Version = 2, Users = [Bob with { User = "" }] }, CancellationToken.None));

        AssertState(state, await store.LoadAsync(CancellationToken.None));
    }

    protected static void AssertState(StoredState expected, StoredState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.TopologyYaml, actual.TopologyYaml);
        Assert.Equal(expected.TopologySource, actual.TopologySource);
        Assert.Equal(expected.Users.Count, actual.Users.Count);
        foreach (var (want, got) in expected.Users.Zip(actual.Users))
        {
            Assert.Equal(want, got);
            Assert.Equal(want.Connected.Offset, got.Connected.Offset);
            Assert.Equal(want.Connected.Ticks, got.Connected.Ticks);
        }
        Assert.Equal(expected.DownLinks, actual.DownLinks);
        Assert.Equal(expected.DownLinks.Select(l => (l.Since.Ticks, l.Since.Offset)), actual.DownLinks.Select(l => (l.Since.Ticks, l.Since.Offset)));
    }
}
