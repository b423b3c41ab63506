using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Softnet.Control.Controller;

/// <summary>
/// The JSON of the REST API, for the server and its clients: camelCase properties, enums as snake_case words
/// (<c>added</c>, <c>no_route</c>, <c>ipv4</c>), indented, text unescaped where JSON allows.
/// </summary>
public static class ControllerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}
