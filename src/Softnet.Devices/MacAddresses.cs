using System.Text;
using Softnet.Wire;

namespace Softnet.Devices;

/// <summary>Stable, locally administered MAC addresses for device ports: the same device name and port always get the same MAC.</summary>
public static class MacAddresses
{
    /// <summary>02:hh:hh:hh:hh:pp, where h is a 32-bit FNV-1a hash of the device name and p the port index.</summary>
    public static MacAddress For(string device, int port)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(device))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return new MacAddress((0x02UL << 40) | ((ulong)hash << 8) | (byte)port);
    }
}
