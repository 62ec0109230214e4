using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>A deluge-web JSON-RPC request: <c>{"method": ..., "params": [...], "id": n}</c>.</summary>
internal sealed class DelugeRequest
{
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    [JsonPropertyName("params")]
    public required IReadOnlyList<JsonElement> Params { get; init; }

    [JsonPropertyName("id")]
    public int Id { get; init; }
}

/// <summary>A deluge-web JSON-RPC response: <c>{"result": ..., "error": null | {"message", "code"}, "id": n}</c>.</summary>
internal sealed class DelugeResponse
{
    [JsonPropertyName("result")]
    public JsonElement Result { get; init; }

    [JsonPropertyName("error")]
    public DelugeError? Error { get; init; }
}

/// <summary>deluge-web's error object. Code 1 = "Not authenticated" (session missing or expired), 2 = unknown method.</summary>
internal sealed class DelugeError
{
    public const int NotAuthenticated = 1;
    public const int UnknownMethod = 2;

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("code")]
    public int? Code { get; init; }
}

/// <summary>The settings sent with <c>core.set_config</c>: one listen port (both ends of the range), Deluge's own forwarding off.</summary>
internal sealed class DelugeListenConfig
{
    [JsonPropertyName("listen_ports")]
    public required IReadOnlyList<int> ListenPorts { get; init; }

    [JsonPropertyName("random_port")]
    public bool RandomPort { get; init; }

    [JsonPropertyName("upnp")]
    public bool Upnp { get; init; }

    [JsonPropertyName("natpmp")]
    public bool NatPmp { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DelugeRequest))]
[JsonSerializable(typeof(DelugeResponse))]
[JsonSerializable(typeof(DelugeListenConfig))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class DelugeJsonContext : JsonSerializerContext;
