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

/// <summary>Fans each event out to several observers, in order. Runs on every cycle, so it allocates nothing.</summary>
internal sealed class CompositeSyncObserver(IReadOnlyList<ISyncObserver> observers) : ISyncObserver
{
    private readonly ISyncObserver[] _observers = [.. observers];

    public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp) => Each((udp, tcp), static (o, a) => o.RenewalSucceeded(a.udp, a.tcp));

    public void MappingRenewed(SyncState state) => Each(state, static (o, s) => o.MappingRenewed(s));

    public void RenewalFailed(NatPmpException error) => Each(error, static (o, e) => o.RenewalFailed(e));

    public void PortChanged(int? previousPort, int port) => Each((previousPort, port), static (o, a) => o.PortChanged(a.previousPort, a.port));

    public void GatewayReset() => Each(0, static (o, _) => o.GatewayReset());

    public void ProtocolMismatch(int udpPort, int tcpPort) => Each((udpPort, tcpPort), static (o, a) => o.ProtocolMismatch(a.udpPort, a.tcpPort));

    public void ClientPortRead(int port) => Each(port, static (o, p) => o.ClientPortRead(p));

    public void ClientUpdated(ClientUpdateOutcome outcome) => Each(outcome, static (o, x) => o.ClientUpdated(x));

    public void ClientLoginFailed(TorrentClientFailure reason) => Each(reason, static (o, r) => o.ClientLoginFailed(r));

    public void RecoveryRan(bool succeeded) => Each(succeeded, static (o, ok) => o.RecoveryRan(ok));

    public void Heartbeat(SyncState state, DateTimeOffset now) => Each((state, now), static (o, a) => o.Heartbeat(a.state, a.now));

    // The arguments travel as a value and the lambdas are static: no closure, delegate or enumerator per call.
    private void Each<TArgs>(TArgs args, Action<ISyncObserver, TArgs> action)
    {
        foreach (var o in _observers)
        {
            action(o, args);
        }
    }
}
