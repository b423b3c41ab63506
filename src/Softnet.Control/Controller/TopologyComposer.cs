using YamlDotNet.RepresentationModel;

namespace Softnet.Control.Controller;

/// <summary>
/// Writes the topology file the nodes run: the applied file (every key of it, its networks first) followed by each
/// user's network, taken from the user's template and renamed. The inputs were loaded by <c>TopologyLoader</c>
/// already, so they are valid YAML with one document each; the output is plain YAML (no anchors, comments dropped).
/// </summary>
internal static class TopologyComposer
{
    private static readonly YamlScalarNode NetworksKey = new("networks");
    private static readonly YamlScalarNode NameKey = new("name");

    /// <summary>The composed file, and each network's own text: equal texts mean an equal network, whose plan can be kept.</summary>
    public sealed record Composition(string Yaml, IReadOnlyDictionary<string, string> NetworkTexts);

    /// <param name="baseYaml">The applied file, or empty when none was applied.</param>
    /// <param name="users">Each user network's name and the template (one network) it is made from.</param>
    public static Composition Compose(string baseYaml, IEnumerable<(string Network, string TemplateYaml)> users)
    {
        var root = new YamlMappingNode();
        var networks = new YamlSequenceNode();
        root.Add(NetworksKey, networks);
        if (baseYaml.Length > 0)
            foreach (var (key, value) in Root(baseYaml).Children)
            {
                if (key.Equals(NetworksKey)) foreach (var network in ((YamlSequenceNode)value).Children) networks.Add(network);
                else root.Add(key, value);
            }
        foreach (var (name, template) in users)
        {
            var network = (YamlMappingNode)((YamlSequenceNode)Root(template).Children[NetworksKey]).Children.Single();
            network.Children[NameKey] = new YamlScalarNode(name);
            networks.Add(network);
        }
        if (networks.Children.Count == 0) return new Composition("", new Dictionary<string, string>());
        var texts = networks.Children.Cast<YamlMappingNode>()
            .ToDictionary(n => ((YamlScalarNode)n.Children[NameKey]).Value!, n => Write(n), StringComparer.Ordinal);
        return new Composition(Write(root), texts);
    }

    private static YamlMappingNode Root(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        // Aliases are already resolved to the nodes they name; without anchors, every use is written out in full, so
        // that anchors of different files cannot clash in one.
        foreach (var node in root.AllNodes) node.Anchor = YamlDotNet.Core.AnchorName.Empty;
        return root;
    }

    private static string Write(YamlNode node)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
