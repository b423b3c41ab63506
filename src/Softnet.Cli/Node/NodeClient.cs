using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Softnet.Hypervisor.Runtime;

namespace Softnet.Cli.Node;

/// <summary>The CLI's side of the <see cref="ControlApi"/>: HTTP over the node's Unix socket.</summary>
public sealed class NodeClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly string _socketPath;
    private readonly HttpClient _http;

    public NodeClient(string socketPath)
    {
        _socketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://softnet-node/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The node's status, or null when nothing answers on the socket in time (no hypervisor, it died or hangs).</summary>
    /// <exception cref="NodeException">The socket exists but the caller may not use it.</exception>
    public async Task<NodeStatus?> TryStatusAsync(CancellationToken cancellation)
    {
        try
        {
            return await SendAsync<NodeStatus>(HttpMethod.Get, "v1/status", cancellation, StatusTimeout);
        }
        catch (NodeException e) when (e.InnerException is not HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.AccessDenied } })
        {
            return null;
        }
    }

    public Task<HypervisorSnapshot> InspectAsync(CancellationToken cancellation) => SendAsync<HypervisorSnapshot>(HttpMethod.Get, "v1/inspect", cancellation);

    /// <summary>The snapshot as the node wrote it (for <c>inspect --format json</c>).</summary>
    public async Task<string> InspectJsonAsync(CancellationToken cancellation)
    {
        using var response = await RequestAsync(HttpMethod.Get, "v1/inspect", HttpCompletionOption.ResponseContentRead, cancellation, RequestTimeout);
        return await response.Content.ReadAsStringAsync(cancellation);
    }

    /// <summary>Every link of every network and its state.</summary>
    public Task<List<NodeLink>> LinksAsync(CancellationToken cancellation) => SendAsync<List<NodeLink>>(HttpMethod.Get, "v1/links", cancellation);

    /// <summary>Takes a link down or brings it back up (<paramref name="network"/> null: the one network that has it).</summary>
    /// <exception cref="NodeException">The node refused it (no such network or link, a malformed end), or cannot be reached.</exception>
    public async Task<LinkChange> SetLinkAsync(string? network, string a, string b, bool up, CancellationToken cancellation)
    {
        using var response = await RequestAsync(HttpMethod.Post, "v1/links", HttpCompletionOption.ResponseContentRead, cancellation, RequestTimeout,
            JsonContent.Create(new NodeLinkRequest(network, a, b, up), options: NodeJson.Options));
        return await response.Content.ReadFromJsonAsync<LinkChange>(NodeJson.Options, cancellation)
            ?? throw new NodeException("The hypervisor answered v1/links with null.");
    }

    /// <summary>Asks the node to stop; it answers at once and then disposes its hypervisor.</summary>
    public Task ShutdownAsync(CancellationToken cancellation) => SendAsync<ShutdownReply>(HttpMethod.Post, "v1/shutdown", cancellation);

    /// <summary>
    /// Copies a pcap of <paramref name="port"/> to <paramref name="destination"/>, flushing it after every chunk, until
    /// <paramref name="count"/> frames, cancellation or the node's end; returns the frames copied.
    /// </summary>
    /// <param name="started">Called once the node has accepted the capture.</param>
    public async Task<long> CaptureAsync(string port, long? count, Stream destination, Action? started, CancellationToken cancellation)
    {
        var query = $"v1/capture?port={Uri.EscapeDataString(port)}" + (count is { } n ? $"&count={n}" : "");
        using var response = await RequestAsync(HttpMethod.Get, query, HttpCompletionOption.ResponseHeadersRead, cancellation, timeout: null);
        started?.Invoke();
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        using var records = new PcapRecordLimiter(destination, null);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                break;
            }
            catch (IOException)
            {
                break; // the node stopped mid-stream; what arrived is kept
            }
            if (read == 0) break;
            records.Write(buffer, 0, read);
            records.Flush();
        }
        return records.Records;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken cancellation, TimeSpan? timeout = null)
    {
        using var response = await RequestAsync(method, path, HttpCompletionOption.ResponseContentRead, cancellation, timeout ?? RequestTimeout);
        return await response.Content.ReadFromJsonAsync<T>(NodeJson.Options, cancellation)
            ?? throw new NodeException($"The hypervisor answered {path} with null.");
    }

    /// <param name="timeout">How long to wait for the answer's headers (and its body unless streamed); null waits for ever.</param>
    private async Task<HttpResponseMessage> RequestAsync(HttpMethod method, string path, HttpCompletionOption completion, CancellationToken cancellation, TimeSpan? timeout,
        HttpContent? content = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, completion, deadline.Token);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException s)
        {
            throw new NodeException(
                s.SocketErrorCode == SocketError.AccessDenied ? $"Cannot use {_socketPath}: permission denied (the hypervisor's control socket is root's; run as root)."
                : !File.Exists(_socketPath) ? $"No hypervisor is running (there is no {_socketPath}); start one with `softnet up FILE`."
                : $"No hypervisor answers at {_socketPath} ({s.Message}); if it died, `softnet down` cleans up after it.", inner: e);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new NodeException($"The hypervisor at {_socketPath} did not answer {path} in time.", inner: e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw new NodeException(await ErrorOf(response, cancellation));
        }
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken cancellation)
    {
        var text = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            if (JsonSerializer.Deserialize<ControlError>(text, NodeJson.Options)?.Error is { } error) return error;
        }
        catch (JsonException)
        {
            // Not the control API's error body (a proxy, a crash page): show it as it came.
        }
        return $"The hypervisor answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}";
    }
}
