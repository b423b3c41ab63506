using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Softnet.Cli.Node;

/// <summary>
/// The JSON of the control API, the state file and <c>inspect --format json</c>: camelCase properties, enums as the
/// words of the topology file (<c>ipv4</c>, <c>af_packet</c>, <c>relative</c>), indented, text unescaped where JSON
/// allows (it is read by people and programs, never embedded in HTML).
/// </summary>
public static class NodeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
