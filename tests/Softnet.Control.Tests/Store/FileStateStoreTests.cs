using Softnet.Control.Store;

namespace Softnet.Control.Tests.Store;

public sealed class FileStateStoreTests : StateStoreContract, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("softnet-store-");

    // A directory that does not exist yet: the first save creates it.
    private string StateDirectory => Path.Combine(_directory.FullName, "state");

    private string StateFile => Path.Combine(StateDirectory, "state.json");

    public void Dispose() => _directory.Delete(recursive: true);

    protected override IStateStore Open() => new FileStateStore(StateDirectory);

    [Fact]
    public async Task TheFileIsJsonNamedByTheStoreAndNoTemporaryFileRemains()
    {
        await using var store = new FileStateStore(StateDirectory);
        await store.SaveAsync(new StoredState(7, "networks: []\n", "t.yaml", []), CancellationToken.None);

        Assert.Equal(StateFile, store.FilePath);
        Assert.Equal($"file {StateFile}", store.Describe);
        Assert.Equal(["state.json"], Directory.GetFiles(StateDirectory).Select(Path.GetFileName));
        Assert.Equal("""
            {
              "format": "softnet-state/1",
              "version": 7,
              "topologySource": "t.yaml",
              "topologyYaml": "networks: []\n",
              "users": []
            }
            """, File.ReadAllText(StateFile));
    }

    [Fact]
    public async Task LinksDownAreWrittenOnlyWhenThereAreAnyAndAFileWithoutThemLoadsWithEveryLinkUp()
    {
        Directory.CreateDirectory(StateDirectory);
        // As a controller that kept no link state wrote it.
        await File.WriteAllTextAsync(StateFile, """
            {"format": "softnet-state/1", "version": 9, "topologySource": "t.yaml", "topologyYaml": "networks: []\n", "users": []}
            """);
        await using var store = Open();
        AssertState(new StoredState(9, "networks: []\n", "t.yaml", []), await store.LoadAsync(CancellationToken.None));

        var since = new DateTimeOffset(2026, 3, 3, 8, 0, 1, TimeSpan.FromHours(1));
        await store.SaveAsync(new StoredState(10, "networks: []\n", "t.yaml", []) { DownLinks = [new("lab", "r1:eth1", "r2:eth0", "node-a", since)] }, CancellationToken.None);

        Assert.Equal("""
            {
              "format": "softnet-state/1",
              "version": 10,
              "topologySource": "t.yaml",
              "topologyYaml": "networks: []\n",
              "users": [],
              "downLinks": [
                {
                  "network": "lab",
                  "a": "r1:eth1",
                  "b": "r2:eth0",
                  "node": "node-a",
                  "since": "2026-03-03T08:00:01+01:00"
                }
              ]
            }
            """, File.ReadAllText(StateFile));
    }

    [Fact]
    public async Task AStaleTemporaryFileFromACrashIsIgnoredAndReplaced()
    {
        var state = new StoredState(3, "networks: []\n", "t.yaml", []);
        await using (var store = Open())
        {
            await store.SaveAsync(state, CancellationToken.None);
        }
        await File.WriteAllTextAsync(StateFile + ".tmp", "{ half writ");

        await using var reopened = Open();
        AssertState(state, await reopened.LoadAsync(CancellationToken.None));
        await reopened.SaveAsync(state with { Version = 4 }, CancellationToken.None);
        AssertState(state with { Version = 4 }, await reopened.LoadAsync(CancellationToken.None));
        Assert.False(File.Exists(StateFile + ".tmp"));
    }

    [Theory]
    [InlineData("", "is unusable: it is empty")]
    [InlineData("{ \"format\": \"softnet-state/1\", \"version\": 1,", "is unusable: not valid JSON (")]
    [InlineData("networks:\n  - name: lab\n", "is unusable: not valid JSON (")]
    [InlineData("[1, 2]", "is unusable: not a Softnet state document (the top level is an array, not an object)")]
    [InlineData("{\"name\": \"lab\"}", "is unusable: not a Softnet state document (\"format\" is missing, expected \"softnet-state/1\")")]
    [InlineData("{\"format\": \"softnet-state/9\"}", "is unusable: not a Softnet state document (\"format\" is \"softnet-state/9\", expected \"softnet-state/1\")")]
    [InlineData("{\"format\": \"softnet-state/1\", \"version\": -1}", "is unusable: version is not an unsigned 64-bit integer")]
    [InlineData("{\"format\": \"softnet-state/1\", \"version\": 1, \"topologySource\": \"t\", \"topologyYaml\": \"\"}", "is unusable: users is missing")]
    [InlineData("{\"format\": \"softnet-state/1\", \"version\": 1, \"topologySource\": \"t\", \"users\": []}", "is unusable: topologyYaml is missing")]
    [InlineData("{\"format\": \"softnet-state/1\", \"version\": 1, \"topologySource\": \"t\", \"topologyYaml\": 5, \"users\": []}", "is unusable: topologyYaml is a number, expected a string")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [
          {"user": "a", "templateSource": "s", "templateYaml": "y", "connected": "2026-01-01T00:00:00Z"},
          {"user": "b", "templateSource": "s", "templateYaml": "y"}]}
        """, "is unusable: users[1].connected is missing")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [
          {"user": "a", "templateSource": "s", "templateYaml": "y", "connected": "yesterday"}]}
        """, "is unusable: users[0].connected is not an ISO 8601 date and time")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [
          {"user": "a", "templateSource": "s", "templateYaml": "y", "connected": "2026-01-01T00:00:00Z"},
          {"user": "a", "templateSource": "s", "templateYaml": "y", "connected": "2026-01-01T00:00:00Z"}]}
        """, "is unusable: user \"a\" appears twice")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [], "downLinks": {}}
        """, "is unusable: downLinks is an object, expected an array")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [], "downLinks": [
          {"network": "lab", "a": "r1:eth1", "b": "r2:eth0", "since": "2026-01-01T00:00:00Z"}]}
        """, "is unusable: downLinks[0].node is missing")]
    [InlineData("""
        {"format": "softnet-state/1", "version": 1, "topologySource": "t", "topologyYaml": "", "users": [], "downLinks": [
          {"network": "lab", "a": "r1:eth1", "b": "r2:eth0", "node": "n", "since": "soon"}]}
        """, "is unusable: downLinks[0].since is not an ISO 8601 date and time")]
    public async Task ACorruptOrForeignFileIsAnErrorNamingTheFileAndTheProblem(string content, string problem)
    {
        Directory.CreateDirectory(StateDirectory);
        await File.WriteAllTextAsync(StateFile, content);
        await using var store = Open();

        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.LoadAsync(CancellationToken.None));

        Assert.StartsWith($"state file {StateFile} {problem}", error.Message);
    }

    [Fact]
    public async Task AnUnwritableDirectoryIsAnErrorNamingTheFile()
    {
        var notADirectory = Path.Combine(_directory.FullName, "plain-file");
        await File.WriteAllTextAsync(notADirectory, "");
        await using var store = new FileStateStore(notADirectory);

        var error = await Assert.ThrowsAsync<StateStoreException>(
            () => store.SaveAsync(new StoredState(1, "", "t", []), CancellationToken.None));

        Assert.StartsWith($"cannot write state file {Path.Combine(notADirectory, "state.json")}: ", error.Message);
    }
}
