namespace Softnet.DataPlane;

/// <summary>
/// Drives a set of devices on one thread: polls every attached port for received frames, runs each device and
/// flushes what it sent. Used for in-memory software networks and tests; the hypervisor schedules devices itself.
/// </summary>
public sealed class DeviceLoop(TimeProvider clock)
{
    private readonly List<Device> _devices = [];
    private readonly int[] _frames = new int[PacketBatch.MaxSize];

    public DeviceLoop() : this(TimeProvider.System)
    {
    }

    public IReadOnlyList<Device> Devices => _devices;

    public T Add<T>(T device) where T : Device
    {
        _devices.Add(device);
        return device;
    }

    /// <summary>One round over every device; returns how many frames were received and sent.</summary>
    public int RunOnce()
    {
        var now = clock.GetTimestamp();
        var frequency = clock.TimestampFrequency;
        var moved = 0;
        foreach (var device in _devices)
        {
            device.Run(now, frequency);
            foreach (var port in device.PortArray)
            {
                if (port.Link is null) continue;
                int n;
                while ((n = port.Link.Receive(_frames)) > 0)
                {
                    device.Receive(port.Index, _frames.AsSpan(0, n));
                    moved += n;
                    device.Run(now, frequency);
                }
            }
            moved += device.Flush();
        }
        return moved;
    }

    /// <summary>Runs rounds until one moves no frame, at most <paramref name="maxRounds"/>; returns the rounds run.</summary>
    public int RunUntilIdle(int maxRounds = 10_000)
    {
        for (var round = 1; round <= maxRounds; round++)
        {
            if (RunOnce() == 0) return round;
        }
        return maxRounds;
    }
}
