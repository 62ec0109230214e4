using System.Text.Json.Serialization;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>The few fields of <c>GET /api/v2/app/preferences</c> we read; the other ~200 are ignored.</summary>
internal sealed class QBittorrentPreferencesDto
{
    [JsonPropertyName("listen_port")]
    public int? ListenPort { get; set; }

    [JsonPropertyName("upnp")]
    public bool? Upnp { get; set; }

    [JsonPropertyName("random_port")]
    public bool? RandomPort { get; set; }

    [JsonPropertyName("announce_port")]
    public int? AnnouncePort { get; set; }
}

/// <summary>What the doctor shows: the configured port and whether qBittorrent's own port forwarding or random port is on.</summary>
/// <param name="ListenPort">The configured listening port (0–65535; 0 means "pick one").</param>
/// <param name="Upnp">UPnP/NAT-PMP port forwarding in qBittorrent itself; null when the field was absent.</param>
/// <param name="RandomPort">"Use a different port on each startup"; null when the field was absent.</param>
/// <param name="AnnouncePort">The port told to trackers instead of the listening one when non-zero (5.1+); null when absent.</param>
internal sealed record QBittorrentPreferencesSnapshot(int ListenPort, bool? Upnp, bool? RandomPort, int? AnnouncePort = null);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(QBittorrentPreferencesDto))]
internal sealed partial class QBittorrentJsonContext : JsonSerializerContext;
