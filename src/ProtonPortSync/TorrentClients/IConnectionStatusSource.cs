namespace ProtonPortSync.TorrentClients;

/// <summary>
/// An optional capability of a torrent client adapter: it can tell whether peers reach it. The sync loop asks for it
/// with a type test, so adapters without it (Transmission, Deluge, the port file) implement nothing.
/// </summary>
internal interface IConnectionStatusSource
{
    /// <summary>
    /// Reads the client's own connection status; throws <see cref="TorrentClientException"/> when the client cannot be
    /// asked. A reply without a recognisable status is <see cref="ClientConnectionStatus.Unknown"/>, not an error.
    /// </summary>
    Task<ClientConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken);
}
