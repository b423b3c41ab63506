using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Softnet.Control.Store;

/// <summary>
/// Keeps the state in etcd under a key prefix: <c>{prefix}state</c> holds the version, the topology and the links reported down,
/// <c>{prefix}users/{name}</c> one user network each (JSON, see <see cref="StateJson"/>). A save is one etcd
/// transaction, guarded by the revision of the state key it read and retried when another writer came between, so a
/// reader never sees half a change; a load reads every key in one transaction, hence at one revision. Each load or save
/// has a deadline (retries included): an unreachable etcd gives a <see cref="StateStoreException"/> naming the
/// endpoints, never a hang.
/// </summary>
public sealed class EtcdStateStore : IStateStore
{
    private const int SaveAttempts = 5;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly EtcdClient _client;
    private readonly string _endpoints;
    private readonly string _prefix;
    private readonly string _usersPrefix;
    private readonly TimeSpan _timeout;
    private readonly ByteString _stateKey;
    private readonly ByteString _usersKey;
    private readonly ByteString _usersEnd;

    /// <param name="endpoints">Comma-separated client URLs, e.g. "http://10.0.0.1:2379,http://10.0.0.2:2379".</param>
    /// <param name="prefix">Where this controller's keys live; a '/' is appended when missing.</param>
    /// <param name="timeout">The bound on one load or save; 5 seconds when null.</param>
    public EtcdStateStore(string endpoints, string prefix = "/softnet/", TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _endpoints = endpoints;
        _prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
        _timeout = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeout, TimeSpan.Zero, nameof(timeout));
        _usersPrefix = _prefix + "users/";
        _stateKey = ByteString.CopyFromUtf8(_prefix + "state");
        _usersKey = ByteString.CopyFromUtf8(_usersPrefix);
        _usersEnd = ByteString.CopyFromUtf8(_prefix + "users0"); // '0' follows '/': the end of the users/ range
        try
        {
            // A short reconnect backoff lets the first call after an etcd restart get through within the deadline.
            _client = new EtcdClient(endpoints, configureChannelOptions: options => options.MaxReconnectBackoff = TimeSpan.FromSeconds(1));
        }
        catch (UriFormatException e)
        {
            throw new ArgumentException($"etcd endpoints \"{endpoints}\" are not URLs: {e.Message}", nameof(endpoints), e);
        }
    }

    public string Describe => $"etcd {_endpoints} prefix {_prefix}";

    public async Task<StoredState?> LoadAsync(CancellationToken ct)
    {
        var response = await CallAsync(deadline => _client.TransactionAsync(ReadAll(keysOnly: false), deadline: deadline, cancellationToken: ct), ct)
            .ConfigureAwait(false);
        var stateKvs = response.Responses[0].ResponseRange.Kvs;
        var userKvs = response.Responses[1].ResponseRange.Kvs;
        if (stateKvs.Count == 0)
        {
            return userKvs.Count == 0
                ? null
                : throw new StateStoreException($"{Describe}: {userKvs.Count} user keys but no {_stateKey.ToStringUtf8()} key");
        }
        var state = Read(stateKvs[0].Key, () => StateJson.ReadState(stateKvs[0].Value.Memory, withUsers: false));
        var users = new List<UserNetwork>(userKvs.Count);
        foreach (var kv in userKvs)
        {
            var user = Read(kv.Key, () => StateJson.ReadUser(kv.Value.Memory));
            var name = kv.Key.ToStringUtf8()[_usersPrefix.Length..];
            users.Add(user.User == name ? user : throw Unusable(kv.Key, $"it holds user \"{user.User}\""));
        }
        return state with { Users = Read(_usersKey, () => StateJson.Ordered(users)) };
    }

    public Task SaveAsync(StoredState state, CancellationToken ct)
    {
        StateJson.CheckSavable(state);
        var stateValue = ByteString.CopyFrom(StateJson.WriteState(state, withUsers: false));
        var users = state.Users.ToDictionary(
            user => ByteString.CopyFromUtf8(_usersPrefix + user.User),
            user => ByteString.CopyFrom(StateJson.WriteUser(user)));
        return CallAsync(async deadline =>
        {
            for (var attempt = 0; attempt < SaveAttempts; attempt++)
            {
                var seen = await _client.TransactionAsync(ReadAll(keysOnly: true), deadline: deadline, cancellationToken: ct).ConfigureAwait(false);
                var write = new TxnRequest();
                write.Compare.Add(new Compare
                {
                    Key = _stateKey,
                    Target = Compare.Types.CompareTarget.Mod,
                    Result = Compare.Types.CompareResult.Equal,
                    ModRevision = seen.Responses[0].ResponseRange.Kvs.FirstOrDefault()?.ModRevision ?? 0, // 0: absent
                });
                write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = _stateKey, Value = stateValue } });
                foreach (var (key, value) in users)
                {
                    write.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = value } });
                }
                foreach (var kv in seen.Responses[1].ResponseRange.Kvs)
                {
                    if (!users.ContainsKey(kv.Key))
                    {
                        write.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = kv.Key } });
                    }
                }
                if ((await _client.TransactionAsync(write, deadline: deadline, cancellationToken: ct).ConfigureAwait(false)).Succeeded)
                {
                    return true;
                }
            }
            throw new StateStoreException($"{Describe}: other writers changed the state during each of {SaveAttempts} attempts to save it");
        }, ct);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The state key and every user key, in one transaction so both ranges are read at the same revision.</summary>
    private TxnRequest ReadAll(bool keysOnly) => new()
    {
        Success =
        {
            new RequestOp { RequestRange = new RangeRequest { Key = _stateKey, KeysOnly = keysOnly } },
            new RequestOp { RequestRange = new RangeRequest { Key = _usersKey, RangeEnd = _usersEnd, KeysOnly = keysOnly } },
        },
    };

    private async Task<T> CallAsync<T>(Func<DateTime, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(DateTime.UtcNow + _timeout).ConfigureAwait(false);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            throw e.StatusCode switch
            {
                StatusCode.DeadlineExceeded => TimedOut(e),
                StatusCode.Unavailable => new StateStoreException(
                    $"etcd at {_endpoints} is unreachable: {e.Status.DebugException?.Message ?? e.Status.Detail}", e),
                _ => new StateStoreException($"etcd at {_endpoints} failed the request: {e.StatusCode}: {e.Status.Detail}", e),
            };
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    private StateStoreException TimedOut(Exception e) =>
        new($"etcd at {_endpoints} did not answer within {_timeout.TotalSeconds:0.###} s", e);

    private T Read<T>(ByteString key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw Unusable(key, e.Message, e);
        }
    }

    private StateStoreException Unusable(ByteString key, string problem, Exception? inner = null) =>
        new($"etcd key {key.ToStringUtf8()} at {_endpoints} is unusable: {problem}", inner);
}
