namespace Softnet.Hypervisor.Linux;

/// <summary>A <c>struct iovec</c>: one piece of a scattered read or gathered write.</summary>
internal unsafe struct Iovec
{
    public void* Base;
    public nuint Length;

    public Iovec(void* start, int length)
    {
        Base = start;
        Length = (nuint)length;
    }
}
