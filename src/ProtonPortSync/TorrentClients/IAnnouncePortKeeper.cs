namespace ProtonPortSync.TorrentClients;

/// <summary>
/// An optional capability of a torrent client adapter: the client can tell trackers another port than the one it
/// listens on (qBittorrent ≥ 5.1's <c>announce_port</c>). The sync loop asks for it with a type test after every check
/// that found the client in sync, so a port reported to trackers that was set by hand (or by another tool) is put
/// right even when the listening port never changes.
/// </summary>
internal interface IAnnouncePortKeeper
{
    /// <summary>
    /// Makes the port told to trackers what the adapter's setting asks for, given the forwarded
    /// <paramref name="port"/>; uses what the last read saw, so it costs a request only when a change is needed.
    /// Throws <see cref="TorrentClientException"/> when the change does not take.
    /// </summary>
    Task KeepAnnouncePortAsync(int port, CancellationToken cancellationToken);
}
