using System.Net;
using System.Net.Sockets;
using Softnet.Control.Store;

namespace Softnet.Control.Tests.Store;

/// <summary>Each test runs against its own real etcd (see <see cref="EtcdServer"/>).</summary>
public sealed class EtcdStateStoreTests : StateStoreContract, IAsyncLifetime
{
    // Bounds an operation that must fail by itself within the store's timeout; reaching it means the store hung.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private EtcdServer? _etcd;

    private EtcdServer Etcd => _etcd ?? throw new InvalidOperationException("etcd did not start");

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public Task DisposeAsync()
    {
        _etcd?.Dispose();
        return Task.CompletedTask;
    }

    protected override IStateStore Open() => new EtcdStateStore(Etcd.Endpoint, "/softnet/test/");

    [Fact]
    public async Task TheStateSurvivesAnEtcdRestartOnTheSameDataDirectory()
    {
        var state = new StoredState(5, "networks: []\n", "t.yaml",
            [new UserNetwork("alice", "networks: []\n", "small.yaml", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero))]);
        await using var store = Open();
        await store.SaveAsync(state, CancellationToken.None);

        await Etcd.RestartAsync();

        AssertState(state, await store.LoadAsync(CancellationToken.None));
        await using var fresh = Open();
        AssertState(state, await fresh.LoadAsync(CancellationToken.None));
        await store.SaveAsync(state with { Version = 6, Users = [] }, CancellationToken.None);
        AssertState(state with { Version = 6, Users = [] }, await fresh.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StoresOnDifferentPrefixesDoNotSeeEachOther()
    {
        await using var a = new EtcdStateStore(Etcd.Endpoint, "/softnet/");
        await using var nested = new EtcdStateStore(Etcd.Endpoint, "/softnet/lab2"); // '/' appended
        await using var b = new EtcdStateStore(Etcd.Endpoint, "/other/");
        var user = new UserNetwork("alice", "y", "s", DateTimeOffset.UnixEpoch);
        var stateA = new StoredState(1, "a", "a.yaml", [user]);
        var stateNested = new StoredState(2, "n", "n.yaml", [user with { TemplateYaml = "n" }, user with { User = "bob" }]);

        await a.SaveAsync(stateA, CancellationToken.None);
        await nested.SaveAsync(stateNested, CancellationToken.None);

        Assert.Equal($"etcd {Etcd.Endpoint} prefix /softnet/lab2/", nested.Describe);
        AssertState(stateA, await a.LoadAsync(CancellationToken.None));
        AssertState(stateNested, await nested.LoadAsync(CancellationToken.None));
        Assert.Null(await b.LoadAsync(CancellationToken.None));

        await a.SaveAsync(stateA with { Version = 3, Users = [] }, CancellationToken.None);
        AssertState(stateNested, await nested.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnUnreachableEtcdIsAClearErrorNamingTheEndpoint()
    {
        // A port nobody listens on: connections are refused.
        var endpoint = $"http://127.0.0.1:{FreePort()}";
        await using var store = new EtcdStateStore(endpoint, timeout: TimeSpan.FromSeconds(2));

        var load = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None).WaitAsync(HangGuard));
        var save = await Assert.ThrowsAsync<StateStoreException>(
            () => store.SaveAsync(new StoredState(1, "", "t", []), CancellationToken.None).WaitAsync(HangGuard));

        Assert.StartsWith($"etcd at {endpoint} ", load.Message);
        Assert.StartsWith($"etcd at {endpoint} ", save.Message);
    }

    [Fact]
    public async Task AnEtcdThatNeverAnswersIsAClearErrorAfterTheTimeout()
    {
        // Accepts connections and never says a word, like a hung server.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        await using var store = new EtcdStateStore(endpoint, timeout: TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None).WaitAsync(HangGuard));

        Assert.Equal($"etcd at {endpoint} did not answer within 2 s", error.Message);
    }

    [Fact]
    public async Task AUserKeyWithoutTheStateKeyIsCorruptNotEmpty()
    {
        await using var store = new EtcdStateStore(Etcd.Endpoint, "/softnet/");
        await store.SaveAsync(new StoredState(1, "", "t", [new UserNetwork("alice", "y", "s", DateTimeOffset.UnixEpoch)]), CancellationToken.None);
        using var client = new dotnet_etcd.EtcdClient(Etcd.Endpoint);
        await client.DeleteAsync("/softnet/state");

        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None));

        Assert.Equal($"etcd {Etcd.Endpoint} prefix /softnet/: 1 user keys but no /softnet/state key", error.Message);
    }

    [Fact]
    public async Task AForeignValueIsAnErrorNamingTheKey()
    {
        await using var store = new EtcdStateStore(Etcd.Endpoint, "/softnet/");
        await store.SaveAsync(new StoredState(1, "", "t", []), CancellationToken.None);
        using var client = new dotnet_etcd.EtcdClient(Etcd.Endpoint);
        await client.PutAsync("/softnet/users/bob", "{\"user\": \"mallory\", \"templateSource\": \"s\", \"templateYaml\": \"y\", \"connected\": \"2026-01-01T00:00:00Z\"}");
        await client.PutAsync("/softnet/users/alice", "hello");

        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None));
        Assert.StartsWith($"etcd key /softnet/users/alice at {Etcd.Endpoint} is unusable: not valid JSON (", error.Message);

        await client.DeleteAsync("/softnet/users/alice");
        error = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None));
        Assert.Equal($"etcd key /softnet/users/bob at {Etcd.Endpoint} is unusable: it holds user \"mallory\"", error.Message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
