namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// What the daemon does with qBittorrent ≥ 5.1's <c>announce_port</c> ("port reported to trackers"), which trackers
/// hear instead of the listening port when it is non-zero (<c>--qbt-announce-port</c>).
/// </summary>
internal enum QBittorrentAnnouncePort
{
    /// <summary>Set it to 0: trackers hear the listening port, which the daemon keeps equal to the forwarded one.</summary>
    Reset,

    /// <summary>Set it to the forwarded port itself, for set-ups where something else reads or sets announce_port.</summary>
    Forwarded,
}

/// <summary>The flag's values.</summary>
internal static class QBittorrentAnnouncePortText
{
    public const string Reset = "reset";
    public const string Forwarded = "forwarded";

    public static readonly string[] All = [Reset, Forwarded];

    public static QBittorrentAnnouncePort Parse(string text)
        => string.Equals(text, Forwarded, StringComparison.Ordinal) ? QBittorrentAnnouncePort.Forwarded : QBittorrentAnnouncePort.Reset;

    /// <summary>The announce_port the mode wants when the forwarded (and listening) port is <paramref name="port"/>.</summary>
    public static int Desired(this QBittorrentAnnouncePort mode, int port) => mode == QBittorrentAnnouncePort.Forwarded ? port : 0;
}
