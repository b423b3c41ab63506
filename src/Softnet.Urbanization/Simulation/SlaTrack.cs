namespace Softnet.Urbanization;

/// <summary>
/// Running SLA sums for one device. Each state (delivered, requested, migrating) holds from its time to the next
/// state's; a new state at the same time replaces the previous one, as CloudSim's state history does.
/// </summary>
internal struct SlaTrack
{
    private bool _started;
    private double _time, _allocated, _requested;
    private bool _inMigration;

    public double Requested { get; private set; }
    public double Allocated { get; private set; }
    public double LostToMigration { get; private set; }

    public void Record(double time, double allocated, double requested, bool inMigration)
    {
        if (_started && time != _time)
        {
            var dt = time - _time;
            Requested += _requested * dt;
            Allocated += _allocated * dt;
            if (_allocated < _requested && _inMigration) LostToMigration += (_requested - _allocated) * dt;
        }
        (_started, _time, _allocated, _requested, _inMigration) = (true, time, allocated, requested, inMigration);
    }
}

/// <summary>Running SLATAH sums for one host: time active, and time active while delivering less than requested.</summary>
internal struct HostSlaTrack
{
    private bool _started;
    private double _time, _delivered, _requested;
    private bool _active;

    public void Record(double time, double delivered, double requested, bool active, ref double activeSeconds, ref double violationSeconds)
    {
        if (_started && time != _time && _active)
        {
            var dt = time - _time;
            activeSeconds += dt;
            if (_delivered < _requested) violationSeconds += dt;
        }
        (_started, _time, _delivered, _requested, _active) = (true, time, delivered, requested, active);
    }
}
