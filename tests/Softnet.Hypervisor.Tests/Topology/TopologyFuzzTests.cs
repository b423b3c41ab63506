using Softnet.Hypervisor.Topology;

namespace Softnet.Hypervisor.Tests.Topology;

/// <summary>Random edits of the examples must load or fail with a <see cref="TopologyException"/>, never anything else.</summary>
public sealed class TopologyFuzzTests
{
    private const string Alphabet = " \n\t:-[]{}\"'#&*!|>%@,?0123456789/abcdehlnpstvx";

    [Fact]
    public void MutatedExamplesOnlyEverThrowTopologyException()
    {
        var random = new Random(20261125);
        var sources = RepositoryFiles.Examples.Select(File.ReadAllText).ToArray();
        var (loaded, rejected) = (0, 0);
        for (var i = 0; i < 3000; i++)
        {
            var text = Mutate(sources[i % sources.Length], random, 1 + random.Next(4));
            try
            {
                TopologyLoader.Parse(text, "fuzz.yaml");
                loaded++;
            }
            catch (TopologyException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.True(error.Line >= 1 && error.Column >= 1, error.Format("fuzz.yaml")));
                rejected++;
            }
        }
        Assert.True(loaded > 0 && rejected > 0, $"loaded {loaded}, rejected {rejected}");
    }

    private static string Mutate(string text, Random random, int edits)
    {
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            text = random.Next(5) switch
            {
                0 => text.Remove(at, 1),
                1 => text.Insert(at, Alphabet[random.Next(Alphabet.Length)].ToString()),
                2 => text.Remove(at, Math.Min(text.Length - at, random.Next(1, 40))),
                3 => SwapLines(text, random),
                _ => text.Insert(at, Slice(text, random)),
            };
        }
        return text;
    }

    private static string Slice(string text, Random random)
    {
        var from = random.Next(text.Length);
        return text.Substring(from, Math.Min(text.Length - from, 1 + random.Next(15)));
    }

    private static string SwapLines(string text, Random random)
    {
        var lines = text.Split('\n');
        var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return string.Join('\n', lines);
    }
}
