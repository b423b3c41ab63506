using System.Text.Json;
using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Topology;

public sealed class TopologySchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("docs/topology.schema.json"))).RootElement;

    [Fact]
    public void SchemaIsDraft202012() =>
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());

    [Fact]
    public void SchemaDescribesEveryKeyTheLoaderAccepts()
    {
        var definitions = Schema.GetProperty("$defs");
        foreach (var (section, keys) in TopologyLoader.KnownKeys)
        {
            var properties = section == "file" ? Schema.GetProperty("properties") : definitions.GetProperty(section).GetProperty("properties");
            Assert.Equal(keys.Order(StringComparer.Ordinal), properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void DocumentationShowsAnExampleThatLoads()
    {
        var markdown = File.ReadAllText(RepositoryFiles.PathOf("docs/topology.md"));
        var start = markdown.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.NotEmpty(TopologyLoader.Parse(yaml, "docs/topology.md").Networks);
    }
}
