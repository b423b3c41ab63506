using Softnet.Wire.Tests;

namespace Softnet.Fuzz;

/// <summary>The fuzz targets by the name scripts/fuzz.sh gives them.</summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Func<IFuzzTarget>> All = new Dictionary<string, Func<IFuzzTarget>>
    {
        ["wire"] = () => new WireTarget(),
        ["router"] = () => new IpDeviceTarget(mpls: false),
        ["lsr"] = () => new IpDeviceTarget(mpls: true),
        ["switch"] = () => new SwitchTarget(),
    };

    private sealed class WireTarget : IFuzzTarget
    {
        public void Run(ReadOnlySpan<byte> input) => WireFuzzTarget.Run(input);
    }
}

/// <summary>
/// Builds its target at the first run, and again after an exception before passing the exception on, so that a device
/// left half-way through a run by one finding does not turn every later input into another.
/// </summary>
/// <remarks>
/// Building runs instrumented code, which may only run once SharpFuzz has mapped afl-fuzz's coverage map, that is
/// inside <c>Fuzzer.Run</c>.
/// </remarks>
internal sealed class ResettingTarget(Func<IFuzzTarget> create) : IFuzzTarget
{
    private IFuzzTarget? _target;

    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            (_target ??= create()).Run(input);
        }
        catch
        {
            _target = null;
            throw;
        }
    }
}
