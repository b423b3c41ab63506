namespace Softnet.Devices.Switching;

/// <summary>Settings of an <see cref="L2Switch"/>.</summary>
public sealed record SwitchOptions
{
    public static SwitchOptions Default { get; } = new();

    /// <summary>Most MAC table entries (static and learned); its slots are allocated up front, 24 to 48 bytes per entry.</summary>
    public int MacTableCapacity { get; init; } = 65_536;

    /// <summary>How long a learned address lives without being seen (802.1Q's default is 300 s).</summary>
    public TimeSpan AgeingTime { get; init; } = TimeSpan.FromSeconds(300);
}
