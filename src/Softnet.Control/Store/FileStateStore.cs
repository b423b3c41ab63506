using System.Runtime.InteropServices;

namespace Softnet.Control.Store;

/// <summary>
/// Keeps the state in <c>state.json</c> in a directory (the controller's state dir). A save writes a temporary file
/// beside it, fsyncs it, renames it over <c>state.json</c> and fsyncs the directory, so after a crash the file holds
/// either the old or the new state, whole. One process owns the directory; its saves are serialized.
/// </summary>
public sealed class FileStateStore : IStateStore
{
    private const string FileName = "state.json";

    private readonly string _directory;
    private readonly string _temporary;
    private readonly SemaphoreSlim _saving = new(1, 1);

    public FileStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        FilePath = Path.Combine(_directory, FileName);
        _temporary = FilePath + ".tmp";
    }

    /// <summary>The state file.</summary>
    public string FilePath { get; }

    public string Describe => $"file {FilePath}";

    public async Task<StoredState?> LoadAsync(CancellationToken ct)
    {
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(FilePath, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"cannot read state file {FilePath}: {e.Message}", e);
        }
        try
        {
            return StateJson.ReadState(json, withUsers: true);
        }
        catch (InvalidDataException e)
        {
            throw new StateStoreException($"state file {FilePath} is unusable: {e.Message}", e);
        }
    }

    public async Task SaveAsync(StoredState state, CancellationToken ct)
    {
        StateJson.CheckSavable(state);
        var json = StateJson.WriteState(state with { Users = StateJson.Ordered([.. state.Users]) }, withUsers: true);
        await _saving.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(_directory);
            await using (var file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 0, useAsync: true))
            {
                await file.WriteAsync(json, ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            ct.ThrowIfCancellationRequested();
            File.Move(_temporary, FilePath, overwrite: true);
            SyncDirectory(_directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteTemporary();
            throw new StateStoreException($"cannot write state file {FilePath}: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            DeleteTemporary();
            throw;
        }
        finally
        {
            _saving.Release();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void DeleteTemporary()
    {
        if (File.Exists(_temporary))
        {
            File.Delete(_temporary);
        }
    }

    /// <summary>Makes the rename durable: a directory's entries reach the disk only when the directory is fsynced.</summary>
    private static void SyncDirectory(string directory)
    {
        var fd = Native.Open(directory, Native.O_RDONLY | Native.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Native.Fsync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static class Native
    {
        public const int O_RDONLY = 0, O_CLOEXEC = 0x80000;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
