namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// Transmission's view of reachability, behind <c>--transmission-port-test</c>: the RPC <c>port-test</c> (rpc-spec 4.4)
/// makes Transmission ask its outside service to connect to the peer port and answers <c>port-is-open</c>. Open is
/// reported as connected, closed as firewalled, no answer as unknown. Asked after each change of the peer port and
/// then at most every <see cref="PortTestInterval"/>: the loop reads the status every cycle, and an outside service
/// must not be asked every 45 seconds. A closed answer is the outside service's opinion, so it is never reported as
/// "disconnected" and never forces a rebind: only the client's own view of its listener does that.
/// </summary>
internal sealed partial class TransmissionClient : IConnectionStatusSource
{
    /// <summary>How long one port-test answer stands while the peer port stays the same.</summary>
    public static readonly TimeSpan PortTestInterval = TimeSpan.FromMinutes(15);

    /// <summary>The peer port as the last read or write saw it (the loop reads it just before asking for the status).</summary>
    private int? _peerPort;

    private (int Port, DateTimeOffset At, ClientConnectionStatus Status)? _lastTest;

    public bool ReportsConnectionStatus => _options.PortTest;

    public Task<ClientConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken)
        => SerializedAsync(PortTestCoreAsync, cancellationToken);

    private async Task<ClientConnectionStatus> PortTestCoreAsync(CancellationToken cancellationToken)
    {
        var port = _peerPort ?? (await GetSessionCoreAsync(cancellationToken)).PeerPort;
        var now = _timeProvider.GetUtcNow();
        if (_lastTest is { } last && last.Port == port && now - last.At < PortTestInterval)
        {
            return last.Status;
        }

        ClientConnectionStatus status;
        try
        {
            // NAT-PMP forwards IPv4 only; 4.1+ tests the version asked for, older versions ignore the argument.
            var response = await CallAsync(new TransmissionRequest { Method = "port-test", Arguments = new() { IpProtocol = "ipv4" } }, cancellationToken);
            status = response.Arguments?.PortIsOpen switch
            {
                true => ClientConnectionStatus.Connected,
                false => ClientConnectionStatus.Firewalled,
                null => ClientConnectionStatus.Unknown,
            };
            Log.PortTested(_logger, port, status == ClientConnectionStatus.Unknown ? "not stated (no port-is-open in the answer)" : status == ClientConnectionStatus.Connected ? "open" : "closed");
        }
        catch (TorrentClientException ex) when (ex.Failure is TorrentClientFailure.InvalidResponse or TorrentClientFailure.Unreachable)
        {
            // Transmission answers an error result when its outside service cannot be reached; a slow service can
            // outlast the request timeout. Either way: unknown, and not asked again before the interval ends.
            Log.PortTestFailed(_logger, port, ex.Message, PortTestInterval.TotalMinutes);
            status = ClientConnectionStatus.Unknown;
        }

        _lastTest = (port, _timeProvider.GetUtcNow(), status);
        return status;
    }
}
