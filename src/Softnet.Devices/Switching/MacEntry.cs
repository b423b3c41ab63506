using Softnet.Wire;

namespace Softnet.Devices.Switching;

/// <summary>One entry of a <see cref="MacTable"/>: frames to <see cref="Mac"/> in <see cref="Vlan"/> leave by port index <see cref="Port"/>.</summary>
/// <param name="Age">Time since the address was last seen, to the second (zero for static entries).</param>
public readonly record struct MacEntry(int Vlan, MacAddress Mac, int Port, bool IsStatic, TimeSpan Age);
