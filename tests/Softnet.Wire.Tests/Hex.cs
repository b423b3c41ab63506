namespace Softnet.Wire.Tests;

internal static class Hex
{
    /// <summary>Decodes hex, ignoring whitespace.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
