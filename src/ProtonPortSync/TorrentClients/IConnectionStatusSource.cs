namespace ProtonPortSync.TorrentClients;

/// <summary>
/// An optional capability of a torrent client adapter: it can tell whether peers reach it. The sync loop asks for it
/// with a type test, so adapters without it (Deluge, the port file) implement nothing; Transmission has it only behind
/// <c>--transmission-port-test</c> (<see cref="ReportsConnectionStatus"/>).
/// </summary>
internal interface IConnectionStatusSource
{
    /// <summary>False when the adapter can report a status but was told not to (the loop then never asks).</summary>
    bool ReportsConnectionStatus { get; }

    /// <summary>
    /// Reads the client's own connection status; throws <see cref="TorrentClientException"/> when the client cannot be
    /// asked. A reply without a recognisable status is <see cref="ClientConnectionStatus.Unknown"/>, not an error.
    /// </summary>
    Task<ClientConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken);
}
