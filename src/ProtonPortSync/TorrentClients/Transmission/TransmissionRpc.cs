using System.Text.Json.Serialization;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>A Transmission RPC request: <c>{"method": ..., "arguments": {...}}</c>.</summary>
internal sealed class TransmissionRequest
{
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    [JsonPropertyName("arguments")]
    public required TransmissionSessionArguments Arguments { get; init; }
}

/// <summary>The few session (and port-test) fields we send or read; absent ones are left out of requests.</summary>
internal sealed class TransmissionSessionArguments
{
    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Fields { get; init; }

    [JsonPropertyName("peer-port")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PeerPort { get; init; }

    [JsonPropertyName("port-forwarding-enabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PortForwardingEnabled { get; init; }

    [JsonPropertyName("peer-port-random-on-start")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PeerPortRandomOnStart { get; init; }

    [JsonPropertyName("bind-address-ipv4")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BindAddressIPv4 { get; init; }

    /// <summary>port-test's request argument (4.1+; older versions ignore it): which IP version to test.</summary>
    [JsonPropertyName("ipProtocol")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IpProtocol { get; init; }

    /// <summary>port-test's answer: whether Transmission's outside service could connect to the peer port.</summary>
    [JsonPropertyName("port-is-open")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PortIsOpen { get; init; }

    [JsonPropertyName("config-dir")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfigDir { get; init; }
}

/// <summary>A Transmission RPC response: <c>{"arguments": {...}, "result": "success"}</c>; any other result is an error text.</summary>
internal sealed class TransmissionResponse
{
    [JsonPropertyName("result")]
    public string? Result { get; init; }

    [JsonPropertyName("arguments")]
    public TransmissionSessionArguments? Arguments { get; init; }
}

/// <summary>What the doctor shows: the configured peer port and whether Transmission's own forwarding or random port is on.</summary>
/// <param name="PeerPort">The configured peer port (0–65535).</param>
/// <param name="PortForwardingEnabled">UPnP/NAT-PMP in Transmission itself; null when the field was absent.</param>
/// <param name="PeerPortRandomOnStart">A random peer port at each start; null when the field was absent.</param>
internal sealed record TransmissionSessionSnapshot(int PeerPort, bool? PortForwardingEnabled, bool? PeerPortRandomOnStart);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TransmissionRequest))]
[JsonSerializable(typeof(TransmissionResponse))]
internal sealed partial class TransmissionJsonContext : JsonSerializerContext;
