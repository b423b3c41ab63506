namespace Softnet.Urbanization.Tests;

public sealed class OverloadDetectorTests
{
    private static readonly OverloadPolicy.LocalRegression Lr = new(1.2);

    [Fact]
    public void ThresholdComparesRequestedMipsWithCapacity()
    {
        // G4: 3720 MIPS. 3000 / 3720 = 0.806 > 0.8; 2900 / 3720 = 0.780.
        var snapshot = new Snap().Host(Snap.G4).Vm(2000).Vm(1000).Host(Snap.G4).Vm(2000).Vm(900).Build();
        var policy = new OverloadPolicy.Threshold(0.8);
        Assert.True(OverloadDetector.IsOverloaded(policy, snapshot, 0));
        Assert.False(OverloadDetector.IsOverloaded(policy, snapshot, 1));
        Assert.Equal([0], OverloadDetector.OverloadedHosts(policy, snapshot));
    }

    [Fact]
    public void LocalRegressionExtrapolatesTheTrendOneMigrationAhead()
    {
        // Two 1860-MIPS devices on a 3720-MIPS host, each with history 1.0, 0.9, ..., 0.1 (newest first): the host's
        // history is the same, the fitted line y = 0.1 x (x = 1 oldest .. 10 newest) predicts 1.1 one step after the
        // last sample (the 1740 MB migration takes 27.84 s, under one 300 s step), and 1.2 × 1.1 ≥ 1.
        double[] rising = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
        var snapshot = new Snap().Host(Snap.G4).Vm(100, mips: 1860, history: rising).Vm(100, mips: 1860, history: rising).Build();
        Assert.True(OverloadDetector.IsOverloaded(Lr, snapshot, 0));
    }

    [Theory]
    [InlineData(0.8, false)] // 0.8 × 1.2 = 0.96
    [InlineData(0.85, true)] // 0.85 × 1.2 = 1.02
    public void LocalRegressionOnAFlatHistoryAppliesTheSafetyFactor(double level, bool overloaded)
    {
        var flat = Enumerable.Repeat(level, 12).ToArray();
        var snapshot = new Snap().Host(Snap.G4).Vm(100, mips: 3720, history: flat).Build();
        Assert.Equal(overloaded, OverloadDetector.IsOverloaded(Lr, snapshot, 0));
    }

    [Fact]
    public void LocalRegressionFallsBackToItsThresholdOnShortHistories()
    {
        // Nine samples are too few; the 0.7 fallback sees 2800 / 3720 = 0.75 requested.
        var shortHistory = Enumerable.Repeat(0.1, 9).ToArray();
        var snapshot = new Snap().Host(Snap.G4).Vm(2800, mips: 3720, history: shortHistory).Build();
        Assert.True(OverloadDetector.IsOverloaded(Lr, snapshot, 0));
        Assert.False(OverloadDetector.IsOverloaded(Lr with { Fallback = new OverloadPolicy.Threshold(0.8) }, snapshot, 0));
    }

    [Theory]
    [InlineData(0.76 * 5320, true)]
    [InlineData(0.74 * 5320, false)]
    public void MedianAbsoluteDeviationLowersTheThresholdForNoisyHosts(double requested, bool overloaded)
    {
        // History alternating 0.4 / 0.6: median 0.5, every deviation 0.1, so the threshold is 1 - 2.5 × 0.1 = 0.75.
        var noisy = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? 0.4 : 0.6).ToArray();
        var snapshot = new Snap().Host(Snap.G5).Vm(requested, mips: 5320, history: noisy).Build();
        Assert.Equal(overloaded, OverloadDetector.IsOverloaded(new OverloadPolicy.MedianAbsoluteDeviation(2.5), snapshot, 0));
    }

    [Theory]
    [InlineData(0.48 * 5320, true)]
    [InlineData(0.47 * 5320, false)]
    public void InterQuartileRangeUsesRoundedQuartileRanks(double requested, bool overloaded)
    {
        // History 0.05, 0.10, ..., 0.60 (12 samples): quartile ranks round(3.25) = 3 and round(9.75) = 10, so
        // IQR = 0.50 - 0.15 = 0.35 and the threshold is 1 - 1.5 × 0.35 = 0.475.
        var spread = Enumerable.Range(1, 12).Select(i => 0.05 * i).Reverse().ToArray();
        var snapshot = new Snap().Host(Snap.G5).Vm(requested, mips: 5320, history: spread).Build();
        Assert.Equal(overloaded, OverloadDetector.IsOverloaded(new OverloadPolicy.InterQuartileRange(1.5), snapshot, 0));
    }

    [Fact]
    public void AnEmptyHostIsNeverOverloaded()
    {
        var snapshot = new Snap().Host(Snap.G4).Build();
        Assert.False(OverloadDetector.IsOverloaded(Lr, snapshot, 0));
        Assert.False(OverloadDetector.IsOverloaded(new OverloadPolicy.Threshold(0), snapshot, 0));
    }
}
