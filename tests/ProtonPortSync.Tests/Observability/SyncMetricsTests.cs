using System.Net;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;
using static ProtonPortSync.Tests.Observability.MetricsText;

namespace ProtonPortSync.Tests.Observability;

public sealed class SyncMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);

    private static NatPmpMapping Mapping(NatPmpProtocol protocol, ushort port) => new(protocol, 0, port, TimeSpan.FromSeconds(60), 100, Now, false);

    [Fact]
    public async Task ExportAsync_Fresh_EveryKnownNameWithZeroAndBuildInfo()
    {
        var text = await ScrapeAsync(new SyncMetrics("1.2.3"));

        foreach (var name in new[] { MetricNames.CurrentPort, MetricNames.PortChanges, MetricNames.LastChangeTimestamp, MetricNames.LastChangeTimestampOriginal, MetricNames.Renewals, MetricNames.Failures, MetricNames.WgRestarts, MetricNames.ClientPort, MetricNames.InSync, MetricNames.LeaseExpiryTimestamp, MetricNames.LastRenewalTimestamp, MetricNames.EpochResets, MetricNames.ProtocolMismatches })
        {
            Assert.Equal(0, Value(text, name));
        }

        Assert.Equal(0, Value(text, "proton_port_sync_natpmp_replies_total{result=\"not_authorized\"}"));
        Assert.Equal(0, Value(text, "proton_port_sync_client_updates_total{outcome=\"read_back_mismatch\"}"));
        Assert.Equal(0, Value(text, "proton_port_sync_client_login_failures_total{reason=\"banned\"}"));
        Assert.Equal(1, Value(text, "proton_port_sync_build_info{version=\"1.2.3\"}"));
    }

    [Fact]
    public async Task RenewalSucceeded_Once_CountsOneRenewalAndTwoSuccessReplies()
    {
        var metrics = new SyncMetrics("test");

        metrics.RenewalSucceeded(Mapping(NatPmpProtocol.Udp, 40000), Mapping(NatPmpProtocol.Tcp, 40000));

        var text = await ScrapeAsync(metrics);
        Assert.Equal(1, Value(text, MetricNames.Renewals));
        Assert.Equal(2, Value(text, "proton_port_sync_natpmp_replies_total{result=\"success\"}"));
    }

    [Fact]
    public async Task RenewalFailed_ResultCodeAndTimeout_BothFailuresOnlyResultCodeIsAReply()
    {
        var metrics = new SyncMetrics("test");

        metrics.RenewalFailed(new NatPmpException(NatPmpFailure.ResultCode, NatPmpOpcode.MapUdp, Gateway, NatPmpResultCode.NotAuthorizedOrRefused));
        metrics.RenewalFailed(new NatPmpException(NatPmpFailure.Timeout, NatPmpOpcode.MapUdp, Gateway));

        var text = await ScrapeAsync(metrics);
        Assert.Equal(2, Value(text, MetricNames.Failures));
        Assert.Equal(1, Value(text, "proton_port_sync_natpmp_replies_total{result=\"not_authorized\"}"));
        Assert.Equal(0, Value(text, "proton_port_sync_natpmp_replies_total{result=\"success\"}"));
    }

    [Fact]
    public async Task Events_EachOnce_CountedUnderTheirNamesAndLabels()
    {
        var metrics = new SyncMetrics("test");

        metrics.PortChanged(null, 40000);
        metrics.GatewayReset();
        metrics.ProtocolMismatch(40000, 40001);
        metrics.ClientUpdated(ClientUpdateOutcome.ReadBackMismatch);
        metrics.ClientUpdated(ClientUpdateOutcome.Success);
        metrics.ClientLoginFailed(TorrentClientFailure.BadCredentials);
        metrics.RecoveryRan(succeeded: false);
        metrics.ClientPortRead(6881);

        var text = await ScrapeAsync(metrics);
        Assert.Equal(1, Value(text, MetricNames.PortChanges));
        Assert.Equal(40000, Value(text, MetricNames.CurrentPort));
        Assert.Equal(1, Value(text, MetricNames.EpochResets));
        Assert.Equal(1, Value(text, MetricNames.ProtocolMismatches));
        Assert.Equal(1, Value(text, "proton_port_sync_client_updates_total{outcome=\"read_back_mismatch\"}"));
        Assert.Equal(1, Value(text, "proton_port_sync_client_updates_total{outcome=\"success\"}"));
        Assert.Equal(1, Value(text, "proton_port_sync_client_login_failures_total{reason=\"bad_credentials\"}"));
        Assert.Equal(1, Value(text, MetricNames.WgRestarts));
        Assert.Equal(6881, Value(text, MetricNames.ClientPort));
    }

    [Fact]
    public async Task Heartbeat_InSyncState_GaugesFollowState()
    {
        var metrics = new SyncMetrics("test");
        var state = SyncState.Initial with
        {
            MappedPort = 40000,
            ClientPort = 40000,
            LeaseExpiresAt = Now.AddSeconds(60),
            LastRenewalAt = Now,
            LastChangeAt = Now.AddSeconds(-30),
        };

        metrics.Heartbeat(state, Now);

        var text = await ScrapeAsync(metrics);
        Assert.Equal(40000, Value(text, MetricNames.CurrentPort));
        Assert.Equal(40000, Value(text, MetricNames.ClientPort));
        Assert.Equal(1, Value(text, MetricNames.InSync));
        Assert.Equal(Now.ToUnixTimeSeconds() + 60, Value(text, MetricNames.LeaseExpiryTimestamp));
        Assert.Equal(Now.ToUnixTimeSeconds(), Value(text, MetricNames.LastRenewalTimestamp));
        Assert.Equal(Now.ToUnixTimeSeconds() - 30, Value(text, MetricNames.LastChangeTimestamp));
        Assert.Equal(Now.ToUnixTimeSeconds() - 30, Value(text, MetricNames.LastChangeTimestampOriginal));
    }

    [Fact]
    public async Task Heartbeat_LeaseLapsedAfterMapping_PortZeroNotInSyncExpiryKept()
    {
        var metrics = new SyncMetrics("test");
        var live = SyncState.Initial with { MappedPort = 40000, ClientPort = 40000, LeaseExpiresAt = Now.AddSeconds(60) };
        metrics.Heartbeat(live, Now);

        metrics.Heartbeat(live with { MappedPort = null, LeaseExpiresAt = null }, Now.AddSeconds(90));

        var text = await ScrapeAsync(metrics);
        Assert.Equal(0, Value(text, MetricNames.CurrentPort));
        Assert.Equal(0, Value(text, MetricNames.InSync));
        Assert.Equal(Now.ToUnixTimeSeconds() + 60, Value(text, MetricNames.LeaseExpiryTimestamp));
    }

    [Fact]
    public void Counters_AfterEvents_SumsByKind()
    {
        var metrics = new SyncMetrics("test");
        metrics.RenewalSucceeded(Mapping(NatPmpProtocol.Udp, 40000), Mapping(NatPmpProtocol.Tcp, 40000));
        metrics.ClientUpdated(ClientUpdateOutcome.Success);
        metrics.ClientUpdated(ClientUpdateOutcome.Failure);
        metrics.ClientLoginFailed(TorrentClientFailure.Banned);

        var counters = metrics.Counters();

        Assert.Equal(new SyncCounters(1, 0, 0, 0, 0, 0, ClientUpdates: 2, ClientUpdateFailures: 1, ClientLoginFailures: 1), counters);
    }

    [Theory]
    [InlineData(NatPmpResultCode.UnsupportedVersion, "unsupported_version")]
    [InlineData(NatPmpResultCode.NetworkFailure, "network_failure")]
    [InlineData(NatPmpResultCode.OutOfResources, "out_of_resources")]
    [InlineData(NatPmpResultCode.UnsupportedOpcode, "unsupported_opcode")]
    [InlineData((NatPmpResultCode)77, "unknown")]
    public void Result_Code_SnakeCaseLabel(NatPmpResultCode code, string expected)
        => Assert.Equal(expected, MetricLabels.Result(code));
}
