namespace Softnet.Urbanization.Tests;

public sealed class DemandTraceTests
{
    private static readonly DemandTrace Trace = new([0.2, 0.5, 0.3], 300);

    [Fact]
    public void SamplesHoldAtTheirTimes()
    {
        Assert.Equal(0.2, Trace.At(0));
        Assert.Equal(0.5, Trace.At(300));
        Assert.Equal(0.3, Trace.At(600));
    }

    [Fact]
    public void DemandIsLinearBetweenSamples()
    {
        Assert.Equal(0.35, Trace.At(150), 12);
        Assert.Equal(0.4, Trace.At(450), 12);
        // CloudSim's first step is at 300.1 s: a hair past the second sample towards the third.
        Assert.Equal(0.5 + (0.3 - 0.5) / 300 * 0.1, Trace.At(300.1), 12);
    }

    [Fact]
    public void PastTheLastSampleDemandStays()
    {
        Assert.Equal(0.3, Trace.At(750), 12);
        Assert.Equal(0.3, Trace.At(86_000));
        Assert.Equal(900, Trace.DurationSeconds);
    }

    [Fact]
    public void SamplesMustBeFractions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemandTrace([0.5, 1.5], 300));
        Assert.Throws<ArgumentException>(() => new DemandTrace([], 300));
        Assert.Equal(2500 * 0.35, new Device("vm", 2500, 870, Trace).MipsAt(150), 9);
    }
}
