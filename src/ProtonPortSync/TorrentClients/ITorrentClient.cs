namespace ProtonPortSync.TorrentClients;

/// <summary>
/// A torrent client whose listening port the daemon keeps equal to the forwarded port. One adapter per client.
/// Implementations validate every reply, never log a secret, and throw <see cref="TorrentClientException"/>
/// for every expected failure (the sync loop catches it, counts it and retries with backoff).
/// </summary>
internal interface ITorrentClient
{
    /// <summary>A short name for logs and metrics labels ("qbittorrent", "transmission", "deluge", "file").</summary>
    string Name { get; }

    /// <summary>Reads the port the client is configured to listen on now.</summary>
    Task<int> GetListenPortAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the client listen on <paramref name="port"/> (1024–65535), turning off the client's own port
    /// forwarding and random port where it has them, then reads the port back; throws
    /// <see cref="TorrentClientException"/> with <see cref="TorrentClientFailure.ReadBackMismatch"/> when the
    /// read-back differs.
    /// </summary>
    Task SetListenPortAsync(int port, CancellationToken cancellationToken);

    /// <summary>
    /// Forces the client to bind its listener again on <paramref name="port"/> even when the number is unchanged
    /// (after a tunnel flap the socket may be dead while the setting is right): change away and back.
    /// </summary>
    Task RebindAsync(int port, CancellationToken cancellationToken);
}
