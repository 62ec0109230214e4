using ProtonPortSync.NatPmp;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Sync;

/// <summary>How a client update ended, for metrics.</summary>
internal enum ClientUpdateOutcome
{
    Success,
    Failure,
    ReadBackMismatch,
}

/// <summary>
/// What the loop reports as it goes; metrics, health, status and systemd notify listen. Calls are made on the
/// loop's own flow and must return quickly without throwing.
/// </summary>
internal interface ISyncObserver
{
    void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp) { }

    /// <summary>After every successful renewal, with the new state (port and public address): what sinks follow.</summary>
    void MappingRenewed(SyncState state) { }

    void RenewalFailed(NatPmpException error) { }

    void PortChanged(int? previousPort, int port) { }

    void GatewayReset() { }

    void ProtocolMismatch(int udpPort, int tcpPort) { }

    void ClientPortRead(int port) { }

    void ClientUpdated(ClientUpdateOutcome outcome) { }

    void ClientLoginFailed(TorrentClientFailure reason) { }

    void RecoveryRan(bool succeeded) { }

    /// <summary>Once per loop iteration with the current state: the loop is alive (watchdog) and this is where it stands.</summary>
    void Heartbeat(SyncState state, DateTimeOffset now) { }
}

/// <summary>Fans each event out to several observers.</summary>
internal sealed class CompositeSyncObserver(IReadOnlyList<ISyncObserver> observers) : ISyncObserver
{
    public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp) => Each(o => o.RenewalSucceeded(udp, tcp));

    public void MappingRenewed(SyncState state) => Each(o => o.MappingRenewed(state));

    public void RenewalFailed(NatPmpException error) => Each(o => o.RenewalFailed(error));

    public void PortChanged(int? previousPort, int port) => Each(o => o.PortChanged(previousPort, port));

    public void GatewayReset() => Each(o => o.GatewayReset());

    public void ProtocolMismatch(int udpPort, int tcpPort) => Each(o => o.ProtocolMismatch(udpPort, tcpPort));

    public void ClientPortRead(int port) => Each(o => o.ClientPortRead(port));

    public void ClientUpdated(ClientUpdateOutcome outcome) => Each(o => o.ClientUpdated(outcome));

    public void ClientLoginFailed(TorrentClientFailure reason) => Each(o => o.ClientLoginFailed(reason));

    public void RecoveryRan(bool succeeded) => Each(o => o.RecoveryRan(succeeded));

    public void Heartbeat(SyncState state, DateTimeOffset now) => Each(o => o.Heartbeat(state, now));

    private void Each(Action<ISyncObserver> action)
    {
        foreach (var o in observers)
        {
            action(o);
        }
    }
}
