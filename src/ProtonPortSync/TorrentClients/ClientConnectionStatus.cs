namespace ProtonPortSync.TorrentClients;

/// <summary>
/// The torrent client's own view of whether peers can reach it (qBittorrent's <c>connection_status</c>): connected
/// (an incoming connection arrived), firewalled (listening, but nothing came in), disconnected (no listener, or no
/// network). Unknown when the client answered something else.
/// </summary>
internal enum ClientConnectionStatus
{
    Unknown,
    Connected,
    Firewalled,
    Disconnected,
}

/// <summary>The status as text (metrics label values and /status) and from a client's text, validated.</summary>
internal static class ClientConnectionStatusText
{
    /// <summary>Every status, in the order the metric lists them.</summary>
    public static readonly ClientConnectionStatus[] All =
    [
        ClientConnectionStatus.Connected, ClientConnectionStatus.Firewalled, ClientConnectionStatus.Disconnected, ClientConnectionStatus.Unknown,
    ];

    public static string Name(ClientConnectionStatus status) => status switch
    {
        ClientConnectionStatus.Connected => "connected",
        ClientConnectionStatus.Firewalled => "firewalled",
        ClientConnectionStatus.Disconnected => "disconnected",
        _ => "unknown",
    };

    /// <summary>
    /// The client's text, compared exactly with the three known values: anything else (another case, padding, a new
    /// value from a later version, hostile text) is Unknown, so no peer text ever becomes a label value or a decision.
    /// </summary>
    public static ClientConnectionStatus Parse(string? text) => text switch
    {
        "connected" => ClientConnectionStatus.Connected,
        "firewalled" => ClientConnectionStatus.Firewalled,
        "disconnected" => ClientConnectionStatus.Disconnected,
        _ => ClientConnectionStatus.Unknown,
    };
}
