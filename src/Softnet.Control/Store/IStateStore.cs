namespace Softnet.Control.Store;

/// <summary>
/// Where the controller persists its desired state so that a restarted controller recovers it. A save replaces the
/// whole state at once: a load never sees part of one save and part of another. Failures (an unreadable or foreign
/// state, an unreachable store) throw <see cref="StateStoreException"/> within a bounded time; cancellation throws
/// <see cref="OperationCanceledException"/>.
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>The last saved state, or null when nothing was ever saved.</summary>
    Task<StoredState?> LoadAsync(CancellationToken ct);

    /// <summary>Durably replaces the stored state; user names must be non-empty and unique.</summary>
    Task SaveAsync(StoredState state, CancellationToken ct);

    /// <summary>Where the state lives, for logs and messages, e.g. "file /var/lib/softnet/state.json".</summary>
    string Describe { get; }
}
