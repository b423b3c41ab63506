using Softnet.Cli.Node;

namespace Softnet.Cli.Tests.Node;

public sealed class NodeNamesTests
{
    private static readonly NodeState State = new(1234, "/tmp/t.yaml", DateTimeOffset.UnixEpoch,
    [
        new NetworkState("lab", [Host("h1", "sn-lab-h1"), Host("h2", "sn-lab-h2")]),
        new NetworkState("blue", [Host("h1", "sn-blue-h1"), Host("h3", null)]),
    ]);

    [Fact]
    public void A_name_only_one_network_has_needs_no_network()
    {
        var (network, host) = State.ResolveHost("h2");

        Assert.Equal("lab", network);
        Assert.Equal("sn-lab-h2", host.Namespace);
    }

    [Fact]
    public void Network_slash_name_picks_one_of_several()
    {
        Assert.Equal("sn-lab-h1", State.ResolveHost("lab/h1").Host.Namespace);
        Assert.Equal("sn-blue-h1", State.ResolveHost("blue/h1").Host.Namespace);
    }

    [Fact]
    public void A_name_several_networks_have_is_refused_with_the_candidates()
    {
        var error = Assert.Throws<NodeException>(() => State.ResolveHost("h1"));

        Assert.Equal("Host 'h1' is in several networks; write one of: lab/h1, blue/h1.", error.Message);
        Assert.Equal(1, error.ExitCode);
    }

    [Fact]
    public void An_unknown_host_lists_every_host()
    {
        var error = Assert.Throws<NodeException>(() => State.ResolveHost("h9"));

        Assert.Equal("There is no host 'h9' (hosts: lab/h1, lab/h2, blue/h1, blue/h3).", error.Message);
    }

    [Fact]
    public void An_unknown_host_of_a_network_lists_that_network_s_hosts()
    {
        var error = Assert.Throws<NodeException>(() => State.ResolveHost("blue/h2"));

        Assert.Equal("Network 'blue' has no host 'h2' (hosts: h1, h3).", error.Message);
    }

    [Fact]
    public void An_unknown_network_lists_the_networks()
    {
        var error = Assert.Throws<NodeException>(() => State.ResolveHost("red/h1"));

        Assert.Equal("There is no network 'red' (networks: lab, blue).", error.Message);
    }

    [Fact]
    public void Long_candidate_lists_are_cut_at_twenty()
    {
        var many = Enumerable.Range(1, 25).Select(i => ("lab", $"h{i}", i));

        var error = Assert.Throws<NodeException>(() => NodeNames.Resolve("h99", many, "host"));

        Assert.EndsWith("lab/h19, lab/h20, and 5 more).", error.Message);
    }

    private static HostState Host(string name, string? ns) => new(name, ns, [], []);
}
