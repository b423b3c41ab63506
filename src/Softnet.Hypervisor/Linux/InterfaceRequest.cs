using System.Runtime.InteropServices;
using System.Text;

namespace Softnet.Hypervisor.Linux;

/// <summary>A <c>struct ifreq</c> (40 bytes on 64-bit Linux): an interface name and one union member.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal unsafe struct InterfaceRequest
{
    /// <summary>IFNAMSIZ less the terminating zero.</summary>
    public const int MaxNameLength = 15;

    [FieldOffset(0)]
    private fixed byte _name[MaxNameLength + 1];

    /// <summary>ifr_flags.</summary>
    [FieldOffset(16)]
    public short Flags;

    /// <summary>ifr_ifindex or ifr_mtu.</summary>
    [FieldOffset(16)]
    public int Value;

    public static InterfaceRequest For(string interfaceName)
    {
        if (interfaceName.Length is 0 or > MaxNameLength || !Ascii.IsValid(interfaceName))
            throw new ArgumentException($"'{interfaceName}' is not a Linux interface name (1 to {MaxNameLength} ASCII characters).", nameof(interfaceName));
        var request = default(InterfaceRequest);
        Encoding.ASCII.GetBytes(interfaceName, new Span<byte>(request._name, MaxNameLength));
        return request;
    }
}
