namespace Softnet.Urbanization;

/// <summary>
/// The few statistics the overload detectors need, computed with the same operations as CloudSim 3.0.3 and the
/// commons-math3 3.0 classes it calls, so that thresholds land on the same doubles.
/// </summary>
internal static class Statistics
{
    /// <summary>
    /// Least-squares line through (1, y[0]), (2, y[1]), ...: commons-math3 SimpleRegression's running update
    /// (Welford-style centred sums), then slope = Sxy / Sxx and intercept = (Σy − slope·Σx) / n.
    /// </summary>
    public static (double Intercept, double Slope) LinearFit(ReadOnlySpan<double> y)
    {
        double sumX = 0, sumY = 0, sumXX = 0, sumXY = 0, xBar = 0, yBar = 0;
        long n = 0;
        for (var i = 0; i < y.Length; i++)
        {
            double x = i + 1;
            if (n == 0)
            {
                xBar = x;
                yBar = y[i];
            }
            else
            {
                var fact1 = 1.0 + n;
                var fact2 = n / (1.0 + n);
                var dx = x - xBar;
                var dy = y[i] - yBar;
                sumXX += dx * dx * fact2;
                sumXY += dx * dy * fact2;
                xBar += dx / fact1;
                yBar += dy / fact1;
            }
            sumX += x;
            sumY += y[i];
            n++;
        }
        var slope = sumXY / sumXX;
        return ((sumY - slope * sumX) / n, slope);
    }

    /// <summary>Median as commons-math3 3.0 Percentile(50): position p(n+1)/100 with linear interpolation.</summary>
    public static double Median(ReadOnlySpan<double> data)
    {
        Span<double> sorted = data.Length <= 64 ? stackalloc double[data.Length] : new double[data.Length];
        data.CopyTo(sorted);
        sorted.Sort();
        double n = sorted.Length;
        var position = 50 * (n + 1) / 100;
        var floor = Math.Floor(position);
        var index = (int)floor;
        if (position < 1) return sorted[0];
        if (position >= n) return sorted[^1];
        var lower = sorted[index - 1];
        return lower + (position - floor) * (sorted[index] - lower);
    }

    /// <summary>Median absolute deviation from the median.</summary>
    public static double MedianAbsoluteDeviation(ReadOnlySpan<double> data)
    {
        if (data.IsEmpty) return 0;
        var median = Median(data);
        Span<double> deviations = data.Length <= 64 ? stackalloc double[data.Length] : new double[data.Length];
        for (var i = 0; i < data.Length; i++) deviations[i] = Math.Abs(median - data[i]);
        return Median(deviations);
    }

    /// <summary>Inter-quartile range as CloudSim's MathUtil.iqr: quartiles at rounded ranks ¼(n+1) and ¾(n+1).</summary>
    public static double InterQuartileRange(ReadOnlySpan<double> data)
    {
        Span<double> sorted = data.Length <= 64 ? stackalloc double[data.Length] : new double[data.Length];
        data.CopyTo(sorted);
        sorted.Sort();
        var q1 = (int)Math.Floor(0.25 * (sorted.Length + 1) + 0.5) - 1;
        var q3 = (int)Math.Floor(0.75 * (sorted.Length + 1) + 0.5) - 1;
        return sorted[q3] - sorted[q1];
    }
}
