using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Fakes;

internal sealed class RecordingObserver : ISyncObserver
{
    public List<string> Events { get; } = [];

    public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp) => Events.Add($"renewed {tcp.ExternalPort}");

    public void MappingRenewed(SyncState state) => Events.Add($"mapping {state.MappedPort} {state.PublicAddress}");

    public void RenewalFailed(NatPmpException error) => Events.Add($"failed {error.Failure}");

    public void PortChanged(int? previousPort, int port) => Events.Add($"changed {previousPort}->{port}");

    public void GatewayReset() => Events.Add("reset");

    public void ProtocolMismatch(int udpPort, int tcpPort) => Events.Add($"mismatch {udpPort}/{tcpPort}");

    public void ClientUpdated(ClientUpdateOutcome outcome) => Events.Add($"client {outcome}");

    public void ClientLoginFailed(TorrentClientFailure reason) => Events.Add($"login {reason}");

    public void RecoveryRan(bool succeeded) => Events.Add($"recovery {succeeded}");
}
