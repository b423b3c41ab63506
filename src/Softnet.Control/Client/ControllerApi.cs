using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Softnet.Control.Controller;
using Softnet.Control.Trace;

namespace Softnet.Control.Client;

/// <summary>A client of the controller's REST API (<see cref="RestApi"/>); the CLI's commands use it.</summary>
public sealed class ControllerApi : IDisposable
{
    public static Uri DefaultAddress { get; } = new("http://127.0.0.1:7470/");

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    /// <param name="handler">The HTTP handler (tests pass their own); a <see cref="SocketsHttpHandler"/> by default.</param>
    public ControllerApi(Uri address, HttpMessageHandler? handler = null)
    {
        Address = address;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            Timeout = RequestTimeout,
        };
    }

    public Uri Address { get; }

    /// <summary>Applies (or with <paramref name="dryRun"/> only diffs) a topology file; <paramref name="source"/> names it in errors.</summary>
    public Task<ApplyReply> ApplyAsync(string yaml, string source, bool dryRun, CancellationToken ct) =>
        SendAsync<ApplyReply>(HttpMethod.Post,
            $"v1/apply?dryRun={(dryRun ? "true" : "false")}&source={Uri.EscapeDataString(source)}",
            new StringContent(yaml, Encoding.UTF8, RestApi.YamlMediaType), ct);

    public Task<StateView> StateAsync(CancellationToken ct) => SendAsync<StateView>(HttpMethod.Get, "v1/state", null, ct);

    public Task<List<UserView>> UsersAsync(CancellationToken ct) => SendAsync<List<UserView>>(HttpMethod.Get, "v1/users", null, ct);

    public Task<UserView> UserAsync(string name, CancellationToken ct) =>
        SendAsync<UserView>(HttpMethod.Get, $"v1/users/{Uri.EscapeDataString(name)}", null, ct);

    public Task<ConnectReply> ConnectUserAsync(string name, string templateYaml, string templateSource, CancellationToken ct) =>
        SendAsync<ConnectReply>(HttpMethod.Post, "v1/users",
            JsonContent.Create(new ConnectRequest(name, templateYaml, templateSource), options: ControllerJson.Options), ct);

    public Task<DisconnectReply> DisconnectUserAsync(string name, CancellationToken ct) =>
        SendAsync<DisconnectReply>(HttpMethod.Delete, $"v1/users/{Uri.EscapeDataString(name)}", null, ct);

    public Task<TraceView> TraceAsync(string from, string to, TraceProtocol protocol, ushort? port, CancellationToken ct)
    {
        var query = $"v1/trace?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&proto={protocol.ToString().ToLowerInvariant()}";
        if (port is { } p) query += "&port=" + p.ToString(CultureInfo.InvariantCulture);
        return SendAsync<TraceView>(HttpMethod.Get, query, null, ct);
    }

    /// <summary>Reports that the link between <paramref name="a"/> and <paramref name="b"/> (<c>r1:eth1</c>) of <paramref name="network"/> went down, or came back up.</summary>
    public Task<LinkReply> ReportLinkAsync(string node, string network, string a, string b, bool up, CancellationToken ct) =>
        SendAsync<LinkReply>(HttpMethod.Post, "v1/links",
            JsonContent.Create(new LinkRequest(node, network, a, b, up), options: ControllerJson.Options), ct);

    /// <summary>Every link reported down, with the node that reported it and since when.</summary>
    public Task<List<NetworkDownLinkView>> DownLinksAsync(CancellationToken ct) => SendAsync<List<NetworkDownLinkView>>(HttpMethod.Get, "v1/links", null, ct);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException s)
        {
            throw new ControllerApiException(null,
                $"No controller answers at {Address} ({s.Message}); start one with `softnet controller`, or name it with --controller URL.", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new ControllerApiException(null, $"Cannot reach the controller at {Address}: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ControllerApiException(null, $"The controller at {Address} did not answer {method} /{path} within {RequestTimeout.TotalSeconds:0} s.", inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw TryRead<ErrorReply>(text) is { Error: { } message } error
                    ? new ControllerApiException((int)response.StatusCode, message, error.Problems)
                    : new ControllerApiException((int)response.StatusCode, $"The controller answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}");
            }
            return TryRead<T>(text) ?? throw new ControllerApiException((int)response.StatusCode, $"The controller's answer to {method} /{path} is not what this client expects: {text}");
        }
    }

    private static T? TryRead<T>(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, ControllerJson.Options);
        }
        catch (JsonException)
        {
            return default; // not the API's JSON (a proxy, another server on the port): the caller shows the text
        }
    }
}
