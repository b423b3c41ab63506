namespace Softnet.Fuzz;

/// <summary>Code under fuzzing: any exception escaping <see cref="Run"/> is a finding.</summary>
internal interface IFuzzTarget
{
    void Run(ReadOnlySpan<byte> input);
}
