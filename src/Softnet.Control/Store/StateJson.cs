using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Softnet.Control.Store;

/// <summary>
/// The JSON the stores write. A state document is
/// <c>{"format": "softnet-state/1", "version", "topologySource", "topologyYaml"}</c>, with <c>"users": [...]</c> when it
/// carries the users too (the file store), and <c>"downLinks": [{"network", "a", "b", "node", "since"}]</c> when links are
/// reported down; a user document is <c>{"user", "templateSource", "templateYaml", "connected"}</c>. The format stays
/// <c>softnet-state/1</c>: <c>downLinks</c> is only added, absent when there is none, so a document written before it
/// existed loads (with every link up) and an older reader ignores it. Readers throw <see cref="InvalidDataException"/> naming the offending field, so a foreign or damaged document is
/// never taken for an empty state; unknown fields are ignored.
/// </summary>
internal static class StateJson
{
    public const string Format = "softnet-state/1";

    // The documents are never embedded in HTML, so YAML stays readable in the file ('<', '&', non-ASCII unescaped).
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = Compact with { Indented = true };

    public static byte[] WriteState(StoredState state, bool withUsers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, withUsers ? Indented : Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("version", state.Version);
            writer.WriteString("topologySource", state.TopologySource);
            writer.WriteString("topologyYaml", state.TopologyYaml);
            if (withUsers)
            {
                writer.WriteStartArray("users");
                foreach (var user in state.Users)
                {
                    WriteUser(writer, user);
                }
                writer.WriteEndArray();
            }
            if (state.DownLinks.Count > 0)
            {
                writer.WriteStartArray("downLinks");
                foreach (var link in state.DownLinks)
                {
                    writer.WriteStartObject();
                    writer.WriteString("network", link.Network);
                    writer.WriteString("a", link.A);
                    writer.WriteString("b", link.B);
                    writer.WriteString("node", link.Node);
                    writer.WriteString("since", link.Since);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] WriteUser(UserNetwork user)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            WriteUser(writer, user);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a state document; without users it returns an empty user list.</summary>
    public static StoredState ReadState(ReadOnlyMemory<byte> json, bool withUsers)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"not a Softnet state document (the top level is {Kind(root)}, not an object)");
        }
        var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format != Format)
        {
            throw new InvalidDataException(
                $"not a Softnet state document (\"format\" is {(format is null ? "missing" : $"\"{format}\"")}, expected \"{Format}\")");
        }
        if (!Field(root, "version", "", JsonValueKind.Number).TryGetUInt64(out var version))
        {
            throw new InvalidDataException("version is not an unsigned 64-bit integer");
        }
        var users = new List<UserNetwork>();
        if (withUsers)
        {
            var array = Field(root, "users", "", JsonValueKind.Array);
            foreach (var element in array.EnumerateArray())
            {
                users.Add(ReadUser(element, $"users[{users.Count}]."));
            }
        }
        var links = new List<StoredLink>();
        if (root.TryGetProperty("downLinks", out _))
        {
            foreach (var element in Field(root, "downLinks", "", JsonValueKind.Array).EnumerateArray())
            {
                links.Add(ReadLink(element, $"downLinks[{links.Count}]."));
            }
        }
        return new StoredState(version, Text(root, "topologyYaml", ""), Text(root, "topologySource", ""), Ordered(users)) { DownLinks = links };
    }

    public static UserNetwork ReadUser(ReadOnlyMemory<byte> json)
    {
        using var document = Parse(json);
        return ReadUser(document.RootElement, "");
    }

    /// <summary>The users in ordinal order of name; a duplicate name is corrupt data.</summary>
    public static IReadOnlyList<UserNetwork> Ordered(List<UserNetwork> users)
    {
        users.Sort((a, b) => string.CompareOrdinal(a.User, b.User));
        for (var i = 1; i < users.Count; i++)
        {
            if (users[i].User == users[i - 1].User)
            {
                throw new InvalidDataException($"user \"{users[i].User}\" appears twice");
            }
        }
        return users;
    }

    /// <summary>Refuses a state that could not be stored and loaded back as it is.</summary>
    public static void CheckSavable(StoredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.TopologyYaml, nameof(state));
        ArgumentNullException.ThrowIfNull(state.TopologySource, nameof(state));
        ArgumentNullException.ThrowIfNull(state.Users, nameof(state));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in state.Users)
        {
            if (user is null || string.IsNullOrEmpty(user.User) || user.TemplateYaml is null || user.TemplateSource is null)
            {
                throw new ArgumentException("every user needs a name, a template and its source", nameof(state));
            }
            if (!names.Add(user.User))
            {
                throw new ArgumentException($"user \"{user.User}\" appears twice", nameof(state));
            }
        }
        ArgumentNullException.ThrowIfNull(state.DownLinks, nameof(state));
        foreach (var link in state.DownLinks)
        {
            if (link is null || string.IsNullOrEmpty(link.Network) || string.IsNullOrEmpty(link.A) || string.IsNullOrEmpty(link.B) || link.Node is null)
            {
                throw new ArgumentException("every link down needs a network, two ends and a node", nameof(state));
            }
        }
    }

    private static void WriteUser(Utf8JsonWriter writer, UserNetwork user)
    {
        writer.WriteStartObject();
        writer.WriteString("user", user.User);
        writer.WriteString("templateSource", user.TemplateSource);
        writer.WriteString("templateYaml", user.TemplateYaml);
        writer.WriteString("connected", user.Connected);
        writer.WriteEndObject();
    }

    private static UserNetwork ReadUser(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{(path.Length == 0 ? "user document" : path.TrimEnd('.'))} is {Kind(element)}, not an object");
        }
        var name = Text(element, "user", path);
        if (name.Length == 0)
        {
            throw new InvalidDataException($"{path}user is empty");
        }
        if (!Field(element, "connected", path, JsonValueKind.String).TryGetDateTimeOffset(out var connected))
        {
            throw new InvalidDataException($"{path}connected is not an ISO 8601 date and time");
        }
        return new UserNetwork(name, Text(element, "templateYaml", path), Text(element, "templateSource", path), connected);
    }

    private static StoredLink ReadLink(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path.TrimEnd('.')} is {Kind(element)}, not an object");
        }
        if (!Field(element, "since", path, JsonValueKind.String).TryGetDateTimeOffset(out var since))
        {
            throw new InvalidDataException($"{path}since is not an ISO 8601 date and time");
        }
        return new StoredLink(Text(element, "network", path), Text(element, "a", path), Text(element, "b", path), Text(element, "node", path), since);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            throw new InvalidDataException("it is empty");
        }
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON ({e.Message})", e);
        }
    }

    private static string Text(JsonElement element, string name, string path) =>
        Field(element, name, path, JsonValueKind.String).GetString()!;

    private static JsonElement Field(JsonElement element, string name, string path, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"{path}{name} is missing");
        }
        if (value.ValueKind != kind)
        {
            throw new InvalidDataException($"{path}{name} is {Kind(value)}, expected {Kind(kind)}");
        }
        return value;
    }

    private static string Kind(JsonElement element) => Kind(element.ValueKind);

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
