namespace Softnet.Urbanization;

/// <summary>When a host counts as overloaded. Immutable data; <see cref="OverloadDetector"/> applies it.</summary>
public abstract record OverloadPolicy
{
    private protected OverloadPolicy() { }

    /// <summary>Overloaded when the requested MIPS exceed <paramref name="Utilization"/> of the host's capacity (THR).</summary>
    public sealed record Threshold(double Utilization) : OverloadPolicy;

    /// <summary>
    /// Local regression (LR): fits a line to the host's last <paramref name="Window"/> utilization samples, extrapolates
    /// it past the longest migration on the host and calls the host overloaded when
    /// <paramref name="Safety"/> × prediction ≥ 1. With a shorter history it defers to <paramref name="Fallback"/>.
    /// </summary>
    public sealed record LocalRegression(double Safety, OverloadPolicy Fallback, int Window = 10) : OverloadPolicy
    {
        public LocalRegression(double safety) : this(safety, new Threshold(0.7)) { }
    }

    /// <summary>Inter-quartile range (IQR): overloaded above 1 − <paramref name="Safety"/> × IQR of the history.</summary>
    public sealed record InterQuartileRange(double Safety, OverloadPolicy Fallback, int MinimumHistory = 12) : OverloadPolicy
    {
        public InterQuartileRange(double safety) : this(safety, new Threshold(0.7)) { }
    }

    /// <summary>Median absolute deviation (MAD): overloaded above 1 − <paramref name="Safety"/> × MAD of the history.</summary>
    public sealed record MedianAbsoluteDeviation(double Safety, OverloadPolicy Fallback, int MinimumHistory = 12) : OverloadPolicy
    {
        public MedianAbsoluteDeviation(double safety) : this(safety, new Threshold(0.7)) { }
    }
}
