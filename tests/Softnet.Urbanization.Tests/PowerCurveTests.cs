namespace Softnet.Urbanization.Tests;

public sealed class PowerCurveTests
{
    private static readonly PowerCurve G4 = PowerCurve.HpProLiantMl110G4;
    private static readonly PowerCurve G5 = PowerCurve.HpProLiantMl110G5;

    [Theory]
    [InlineData(0.0, 86.0)]
    [InlineData(0.5, 102.0)]
    [InlineData(1.0, 117.0)]
    [InlineData(0.3, 96.0)]
    public void WattsAtTheMeasuredPointsAreTheSpecPowerValues(double utilization, double watts) =>
        Assert.Equal(watts, G4.Watts(utilization), 12);

    [Theory]
    [InlineData(0.25, 94.3)]
    [InlineData(0.05, 87.7)]
    [InlineData(0.91, 114.3)]
    public void WattsBetweenPointsAreLinear(double utilization, double watts) => Assert.Equal(watts, G4.Watts(utilization), 9);

    [Fact]
    public void G5CurveIsInterpolatedToo()
    {
        Assert.Equal(93.7, G5.IdleWatts);
        Assert.Equal(135, G5.PeakWatts);
        Assert.Equal(134.0, G5.Watts(0.95), 9);
        Assert.Equal(110 + 6 * 0.5, G5.Watts(0.45), 9);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    public void UtilizationOutsideZeroToOneIsRejected(double utilization) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => G4.Watts(utilization));

    [Fact]
    public void CurveNeedsElevenPoints()
    {
        var e = Assert.Throws<ArgumentException>(() => new PowerCurve([1, 2, 3], 0));
        Assert.Contains("11 points", e.Message);
    }

    [Fact]
    public void CurvesCompareByValue()
    {
        Assert.Equal(new PowerCurve([86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117], 0), G4);
        Assert.NotEqual(new PowerCurve([86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117], 5), G4);
    }

    [Fact]
    public void MigrationTakesMemoryOverHalfTheBandwidth()
    {
        // 1740 MB over 500 Mbit/s (62.5 MB/s): CloudSim's RAM / (BW / 2).
        Assert.Equal(27.84, ServerType.HpProLiantMl110G4.MigrationSeconds(1740), 12);
        Assert.Equal(9.808, ServerType.HpProLiantMl110G5.MigrationSeconds(613), 12);
        Assert.Equal(3720, ServerType.HpProLiantMl110G4.TotalMips);
        Assert.Equal(5320, ServerType.HpProLiantMl110G5.TotalMips);
    }
}
