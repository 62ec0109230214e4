using System.Net;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

/// <summary>The fan-out in front of metrics, health, systemd and the sinks: every event, with its arguments, to every observer in order.</summary>
public sealed class CompositeSyncObserverTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryEvent_ReachesEveryObserverInOrderWithItsArguments()
    {
        var log = new List<string>();
        var composite = new CompositeSyncObserver([new Recorder("a", log), new Recorder("b", log)]);
        var udp = new NatPmpMapping(NatPmpProtocol.Udp, 40000, 40010, TimeSpan.FromSeconds(60), 100, Now, GatewayReset: false);
        var tcp = udp with { Protocol = NatPmpProtocol.Tcp, ExternalPort = 40011 };
        var state = SyncState.Initial with { MappedPort = 40010 };

        composite.RenewalSucceeded(udp, tcp);
        composite.MappingRenewed(state);
        composite.RenewalFailed(new NatPmpException(NatPmpFailure.Timeout, NatPmpOpcode.MapUdp, new IPEndPoint(IPAddress.Loopback, 5351)));
        composite.PortChanged(null, 40010);
        composite.PortChanged(40010, 40020);
        composite.GatewayReset();
        composite.ProtocolMismatch(40010, 40011);
        composite.ClientPortRead(6881);
        composite.ClientUpdated(ClientUpdateOutcome.ReadBackMismatch);
        composite.ClientLoginFailed(TorrentClientFailure.Banned);
        composite.RecoveryRan(false);
        composite.Heartbeat(state, Now);

        string[] each =
        [
            "renewed 40010/40011", "mapping 40010", "failed Timeout", "changed ->40010", "changed 40010->40020", "reset",
            "mismatch 40010/40011", "read 6881", "client ReadBackMismatch", "login Banned", "recovery False", $"beat 40010 {Now:O}",
        ];
        Assert.Equal(each.SelectMany(e => new[] { $"a {e}", $"b {e}" }), log);
    }

    [Fact]
    public void ListChangedAfterwards_TheObserversGivenAtConstructionStay()
    {
        var log = new List<string>();
        var observers = new List<ISyncObserver> { new Recorder("a", log) };
        var composite = new CompositeSyncObserver(observers);

        observers.Add(new Recorder("late", log));
        composite.GatewayReset();

        Assert.Equal(["a reset"], log);
    }

    private sealed class Recorder(string name, List<string> log) : ISyncObserver
    {
        public void RenewalSucceeded(NatPmpMapping udp, NatPmpMapping tcp) => Add($"renewed {udp.ExternalPort}/{tcp.ExternalPort}");

        public void MappingRenewed(SyncState state) => Add($"mapping {state.MappedPort}");

        public void RenewalFailed(NatPmpException error) => Add($"failed {error.Failure}");

        public void PortChanged(int? previousPort, int port) => Add($"changed {previousPort}->{port}");

        public void GatewayReset() => Add("reset");

        public void ProtocolMismatch(int udpPort, int tcpPort) => Add($"mismatch {udpPort}/{tcpPort}");

        public void ClientPortRead(int port) => Add($"read {port}");

        public void ClientUpdated(ClientUpdateOutcome outcome) => Add($"client {outcome}");

        public void ClientLoginFailed(TorrentClientFailure reason) => Add($"login {reason}");

        public void RecoveryRan(bool succeeded) => Add($"recovery {succeeded}");

        public void Heartbeat(SyncState state, DateTimeOffset now) => Add($"beat {state.MappedPort} {now:O}");

        private void Add(string e) => log.Add($"{name} {e}");
    }
}
