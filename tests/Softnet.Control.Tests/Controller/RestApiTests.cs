using System.Net;
using System.Text;
using System.Text.Json;
using Softnet.Control.Client;
using Softnet.Control.Controller;
using Softnet.Control.Trace;

namespace Softnet.Control.Tests.Controller;

public sealed class RestApiTests : IAsyncLifetime
{
    private RunningController _controller = null!;
    private ControllerApi _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _controller = await RunningController.StartAsync();
        _api = _controller.Api();
        _http = new HttpClient { BaseAddress = _controller.RestAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _api.Dispose();
        await _controller.DisposeAsync();
    }

    [Fact]
    public async Task DryRunListsTheChangesAndChangesNothingThenApplyMakesOneVersion()
    {
        var dry = await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: true, default);
        Assert.True(dry.DryRun);
        Assert.Equal(["+ network lab"], dry.Changes.Select(c => c.Text));
        Assert.Null(dry.NewVersion);
        Assert.Equal(0UL, dry.Version);
        Assert.Equal(0UL, (await _api.StateAsync(default)).Version);
        Assert.Null(await _controller.Store.LoadAsync(default));

        var applied = await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        Assert.Equal(["+ network lab"], applied.Changes.Select(c => c.Text));
        Assert.Equal(1UL, applied.NewVersion);
        var state = await _api.StateAsync(default);
        Assert.Equal(1UL, state.Version);
        Assert.Equal("lab.yaml", state.Source);
        Assert.Equal(["lab"], state.Networks.Select(n => n.Name));
        Assert.Equal(1UL, (await _controller.Store.LoadAsync(default))!.Version);

        var again = await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        Assert.Empty(again.Changes);
        Assert.Null(again.NewVersion);
        Assert.Equal(1UL, again.Version);

        var dryChange = await _api.ApplyAsync(Files.Lab(tokens: 20), "lab.yaml", dryRun: true, default);
        Assert.Equal(["~ lab: tokens 10 -> 20"], dryChange.Changes.Select(c => c.Text));
        Assert.Equal(1UL, (await _api.StateAsync(default)).Version);
        Assert.Equal(10, (await _api.StateAsync(default)).Networks[0].Tokens);

        var change = await _api.ApplyAsync(Files.Lab(tokens: 20), "lab.yaml", dryRun: false, default);
        Assert.Equal(2UL, change.NewVersion);
        Assert.Equal(20, (await _api.StateAsync(default)).Networks[0].Tokens);
    }

    [Fact]
    public async Task MalformedYamlIsRefusedWithLineAndColumnAndChangesNothing()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        var broken = Files.Lab().Replace("tokens: 10", "tokens: ten");

        var refused = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ApplyAsync(broken, "broken.yaml", dryRun: false, default));

        Assert.Equal(400, refused.Status);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((4, 13), (problem.Line, problem.Column));
        Assert.StartsWith("broken.yaml:4:13: ", refused.Message);
        Assert.Equal(1UL, (await _api.StateAsync(default)).Version);
        Assert.Equal(10, (await _api.StateAsync(default)).Networks[0].Tokens);

        var syntax = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ApplyAsync("networks: [\n  - name: x\n", "syntax.yaml", dryRun: false, default));
        Assert.Equal(400, syntax.Status);
        Assert.Contains("YAML syntax error", syntax.Message);
        Assert.StartsWith("syntax.yaml:", syntax.Message);
        Assert.Equal(1UL, (await _api.StateAsync(default)).Version);
    }

    [Fact]
    public async Task MalformedRequestsGetA4xxWithAnErrorBody()
    {
        await AssertError(await _http.PostAsync("v1/users", new StringContent("{\"name\": \"alice\", ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not valid JSON");
        await AssertError(await _http.PostAsync("v1/users", new StringContent("{\"name\": \"alice\"}", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, "takes application/json");
        await AssertError(await _http.PostAsync("v1/users", new StringContent("{\"name\": \"alice\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "template");
        await AssertError(await _http.GetAsync("v1/nothing"), HttpStatusCode.NotFound, "No GET /v1/nothing; the controller serves");
        await AssertError(await _http.PutAsync("v1/state", new StringContent("")), HttpStatusCode.MethodNotAllowed, "does not take PUT");
        await AssertError(await _http.PostAsync("v1/apply?dryrun=true&dry-run=true", new StringContent(Files.Lab())), HttpStatusCode.BadRequest,
            "Unknown query parameter 'dry-run'");
        await AssertError(await _http.PostAsync("v1/apply?dryRun=maybe", new StringContent(Files.Lab())), HttpStatusCode.BadRequest,
            "dryRun must be true or false; found 'maybe'");
        await AssertError(await _http.PostAsync("v1/apply", new StringContent("")), HttpStatusCode.BadRequest, "it is empty");
        await AssertError(await _http.GetAsync("v1/trace?from=h1&to=10.0.2.10&proto=sctp"), HttpStatusCode.BadRequest, "proto must be icmp, tcp or udp");
        await AssertError(await _http.GetAsync("v1/trace?from=h1&to=10.0.2.10&proto=udp&port=70000"), HttpStatusCode.BadRequest, "port must be a number");
        await AssertError(await _http.GetAsync("v1/trace?from=h1&to=10.0.2.10&proto=icmp"), HttpStatusCode.NotFound, "there is no host 'h1'");
        await AssertError(await _http.DeleteAsync("v1/users/nobody"), HttpStatusCode.NotFound, "user 'nobody' is not connected");
        Assert.Equal(0UL, (await _api.StateAsync(default)).Version);
    }

    [Fact]
    public async Task UsersConnectAndDisconnect()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);

        var alice = await _api.ConnectUserAsync("alice", Files.Lab("template-net", tokens: 5), "personal.yaml", default);

        Assert.Equal(2UL, alice.Version);
        Assert.Equal(("alice", "user-alice", "personal.yaml", 5, 1, 2), (alice.User.Name, alice.User.Network, alice.User.TemplateSource, alice.User.Tokens, alice.User.Devices, alice.User.Hosts));
        var state = await _api.StateAsync(default);
        Assert.Equal(["lab", "user-alice"], state.Networks.Select(n => n.Name));
        Assert.Equal([null, "alice"], state.Networks.Select(n => n.User));
        Assert.Equal(["alice"], (await _api.UsersAsync(default)).Select(u => u.Name));
        Assert.Equal("user-alice", (await _api.UserAsync("alice", default)).Network);
        Assert.Equal(["alice"], (await _controller.Store.LoadAsync(default))!.Users.Select(u => u.User));

        var twice = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ConnectUserAsync("alice", Files.Lab(), "personal.yaml", default));
        Assert.Equal(409, twice.Status);
        Assert.Contains("already connected", twice.Message);

        var badName = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ConnectUserAsync("al/ice", Files.Lab(), "personal.yaml", default));
        Assert.Equal(400, badName.Status);
        var twoNetworks = Files.Lab("a") + "\n" + Files.Lab("b").Replace("networks:\n", "");
        var notOne = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ConnectUserAsync("bob", twoNetworks, "two.yaml", default));
        Assert.Equal(400, notOne.Status);
        Assert.Contains("a template declares one network; this one declares 2 (a, b)", notOne.Message);

        var taken = await Assert.ThrowsAsync<ControllerApiException>(() => _api.ApplyAsync(Files.Lab("user-alice"), "steal.yaml", dryRun: false, default));
        Assert.Equal(409, taken.Status);
        Assert.Equal(2UL, (await _api.StateAsync(default)).Version);

        var gone = await _api.DisconnectUserAsync("alice", default);

        Assert.Equal((3UL, "user-alice"), (gone.Version, gone.Network));
        Assert.Equal(["lab"], (await _api.StateAsync(default)).Networks.Select(n => n.Name));
        Assert.Empty(await _api.UsersAsync(default));
        Assert.Empty((await _controller.Store.LoadAsync(default))!.Users);
        Assert.Equal(404, (await Assert.ThrowsAsync<ControllerApiException>(() => _api.UserAsync("alice", default))).Status);
    }

    [Fact]
    public async Task ApplyKeepsTheUsersNetworks()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        await _api.ConnectUserAsync("alice", Files.Lab("t", tokens: 5), "personal.yaml", default);
        var planned = _controller.Service.State.Plans["user-alice"];

        var applied = await _api.ApplyAsync(Files.Lab("lab2"), "lab2.yaml", dryRun: false, default);

        Assert.Equal(["+ network lab2", "- network lab"], applied.Changes.Select(c => c.Text).Order(StringComparer.Ordinal));
        Assert.Equal(["lab2", "user-alice"], (await _api.StateAsync(default)).Networks.Select(n => n.Name));
        Assert.Same(planned, _controller.Service.State.Plans["user-alice"]);
    }

    [Fact]
    public async Task AdmissionControlRefusesWhatTheTokenBudgetCannotCarry()
    {
        await using var controller = await RunningController.StartAsync(new AdmissionPolicy(TokenBudget: 25));
        using var api = controller.Api();
        await api.ApplyAsync(Files.Lab(tokens: 10), "lab.yaml", dryRun: false, default);
        await api.ConnectUserAsync("alice", Files.Lab(tokens: 10), "personal.yaml", default);

        var refused = await Assert.ThrowsAsync<ControllerApiException>(() => api.ConnectUserAsync("bob", Files.Lab(tokens: 10), "personal.yaml", default));

        Assert.Equal(409, refused.Status);
        Assert.Equal("admission control refuses user 'bob': not enough tokens: user-bob asks for 10 base tokens, the node's networks hold 20 of its budget of 25",
            refused.Message);
        Assert.Equal(["alice"], (await api.UsersAsync(default)).Select(u => u.Name));
        Assert.Equal(2UL, (await api.StateAsync(default)).Version);
        var admission = (await api.StateAsync(default)).Admission;
        Assert.Equal((20, 25), (admission.Tokens, admission.TokenBudget));

        await api.ConnectUserAsync("carol", Files.Lab(tokens: 5), "small.yaml", default);
        Assert.Equal(["alice", "carol"], (await api.UsersAsync(default)).Select(u => u.Name));
        var metrics = await new HttpClient().GetStringAsync(new Uri(controller.RestAddress, "metrics"));
        Assert.Contains("softnet_controller_admission_refusals_total{resource=\"tokens\"} 1", metrics);
        Assert.Contains("softnet_controller_users 2", metrics);
    }

    [Fact]
    public async Task TraceFollowsThePlan()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);

        var trace = await _api.TraceAsync("h1", "10.0.2.10", TraceProtocol.Icmp, null, default);

        Assert.Equal(("lab", "h1", "10.0.2.10", TraceOutcome.Delivered), (trace.Network, trace.From, trace.To, trace.Outcome));
        Assert.Equal(["h1", "r1", "h2"], trace.Hops.Select(h => h.Node));
        var qualified = await _api.TraceAsync("lab/h1", "10.0.2.10", TraceProtocol.Udp, 53, default);
        Assert.Equal((TraceOutcome.Delivered, (ushort?)53), (qualified.Outcome, qualified.Port));
        var badAddress = await Assert.ThrowsAsync<ControllerApiException>(() => _api.TraceAsync("h1", "10.0.2", TraceProtocol.Icmp, null, default));
        Assert.Equal(400, badAddress.Status);
    }

    [Fact]
    public async Task MetricsCountAppliesAndTheVersion()
    {
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: true, default);
        await _api.ApplyAsync(Files.Lab(), "lab.yaml", dryRun: false, default);
        await Assert.ThrowsAsync<ControllerApiException>(() => _api.ApplyAsync("networks: 3", "bad.yaml", dryRun: false, default));

        using var response = await _http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("softnet_controller_version 1", text);
        Assert.Contains("softnet_controller_subscribers 0", text);
        Assert.Contains("softnet_controller_applies_total{outcome=\"applied\"} 1", text);
        Assert.Contains("softnet_controller_applies_total{outcome=\"dry_run\"} 1", text);
        Assert.Contains("softnet_controller_applies_total{outcome=\"refused\"} 1", text);
        Assert.Contains("softnet_controller_plan_seconds_count", text);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsEveryOperation()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name} {o.Value.GetProperty("operationId").GetString()}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal([
            "DELETE /v1/users/{name} DisconnectUser",
            "GET /metrics GetMetrics",
            "GET /v1/links ListDownLinks",
            "GET /v1/state GetState",
            "GET /v1/trace Trace",
            "GET /v1/users ListUsers",
            "GET /v1/users/{name} GetUser",
            "POST /v1/apply Apply",
            "POST /v1/links ReportLink",
            "POST /v1/users ConnectUser",
        ], operations);
        var apply = paths.GetProperty("/v1/apply").GetProperty("post");
        Assert.Equal(["dryRun", "source"], apply.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(apply.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(apply.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/yaml", out _));
    }

    [Fact]
    public async Task AClientSaysWhenNoControllerRuns()
    {
        var address = _controller.RestAddress;
        await _controller.StopAsync();
        using var api = new ControllerApi(address);

        var failure = await Assert.ThrowsAsync<ControllerApiException>(() => api.StateAsync(default));

        Assert.Null(failure.Status);
        Assert.StartsWith($"No controller answers at {address} (Connection refused); start one with `softnet controller`", failure.Message);
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonSerializer.Deserialize<ErrorReply>(text, ControllerJson.Options)!;
            Assert.Contains(expected, error.Error);
        }
    }
}
