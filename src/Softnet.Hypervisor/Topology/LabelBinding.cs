using Softnet.Wire;

namespace Softnet.Hypervisor.Topology;

/// <summary>What an LSR does with a packet arriving with label <see cref="In"/>.</summary>
public enum LabelAction
{
    /// <summary>Replace the top label with the out label and send to the next hop.</summary>
    Swap,

    /// <summary>Remove the top label and send to the next hop (penultimate hop popping).</summary>
    Pop,

    /// <summary>Remove the top label and forward what is beneath by a local lookup.</summary>
    Lookup,
}

/// <summary>One incoming-label-map entry; <see cref="Out"/> is set only for swap, <see cref="Via"/>/<see cref="Port"/> for swap and pop.</summary>
public sealed record LabelBinding(MplsLabel In, LabelAction Action, MplsLabel? Out, IpAddress? Via, string? Port);
