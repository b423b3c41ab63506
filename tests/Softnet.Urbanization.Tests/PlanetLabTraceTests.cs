namespace Softnet.Urbanization.Tests;

public sealed class PlanetLabTraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("planetlab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void LoadsEveryFileInOrdinalNameOrder()
    {
        Write("b", "10\n20\n");
        Write("a b", "30\r\n40\r\n");
        Write("B", "0\n100\n");
        Write(".hidden", "not a trace");
        var traces = PlanetLabTrace.Load(_dir);
        Assert.Equal(["B", "a b", "b"], traces.Select(t => t.Name));
        Assert.Equal([0.0, 1.0], traces[0].Cpu.Samples.ToArray());
        Assert.Equal([0.3, 0.4], traces[1].Cpu.Samples.ToArray());
        Assert.Equal(300, traces[2].Cpu.StepSeconds);
    }

    [Fact]
    public void MalformedLineIsReportedWithFileAndLine()
    {
        var path = Write("vm1", "12\n13\nabc\n14\n");
        var e = Assert.Throws<TraceFormatException>(() => PlanetLabTrace.Load(_dir));
        Assert.Equal(path, e.Path);
        Assert.Equal(3, e.Line);
        Assert.Equal($"{path}:3: expected an integer CPU percentage, got 'abc'.", e.Message);
    }

    [Fact]
    public void PercentageOutOfRangeIsReported()
    {
        var path = Write("vm1", "12\n101\n");
        var e = Assert.Throws<TraceFormatException>(() => PlanetLabTrace.LoadFile(path));
        Assert.Equal($"{path}:2: CPU percentage 101 is outside 0 to 100.", e.Message);
    }

    [Fact]
    public void BlankLineInsideTheTraceIsReported()
    {
        var path = Write("vm1", "12\n\n13\n");
        var e = Assert.Throws<TraceFormatException>(() => PlanetLabTrace.LoadFile(path));
        Assert.Equal(2, e.Line);
        Assert.Contains("blank line", e.Message);
    }

    [Fact]
    public void TrailingBlankLinesAreFine() => Assert.Equal([0.12], PlanetLabTrace.LoadFile(Write("vm1", "12\n\n\n")).Cpu.Samples.ToArray());

    [Fact]
    public void EmptyFileIsReported()
    {
        var path = Write("vm1", "");
        Assert.Equal($"{path}:1: the file holds no samples.", Assert.Throws<TraceFormatException>(() => PlanetLabTrace.LoadFile(path)).Message);
    }

    [Fact]
    public void MissingOrEmptyDirectoryIsReported()
    {
        Assert.Throws<DirectoryNotFoundException>(() => PlanetLabTrace.Load(Path.Combine(_dir, "nope")));
        Assert.Throws<ArgumentException>(() => PlanetLabTrace.Load(_dir));
    }

    [Fact]
    public void CloudSimSetupTypesVmsByBlocksAndAlternatesHosts()
    {
        var traces = Enumerable.Range(0, 10).Select(i => new PlanetLabTrace($"t{i}", DemandTrace.Constant(0.5))).ToList();
        var vms = CloudSimPlanetLab.Vms(traces);
        // ⌈10/4⌉ = 3 VMs per type.
        Assert.Equal([2500.0, 2500, 2500, 2000, 2000, 2000, 1000, 1000, 1000, 500], vms.Select(v => v.Mips));
        Assert.Equal([870, 870, 870, 1740, 1740, 1740, 1740, 1740, 1740, 613], vms.Select(v => v.MemoryMb));
        var hosts = CloudSimPlanetLab.Hosts(4).Servers;
        Assert.Equal([ServerType.HpProLiantMl110G4, ServerType.HpProLiantMl110G5, ServerType.HpProLiantMl110G4, ServerType.HpProLiantMl110G5], hosts.Select(s => s.Type));
        Assert.Equal("host-3", hosts[3].Name);
    }
}
