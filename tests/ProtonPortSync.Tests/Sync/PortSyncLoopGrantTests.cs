using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;
using static ProtonPortSync.Tests.Observability.MetricsText;

namespace ProtonPortSync.Tests.Sync;

/// <summary>A gateway whose success replies grant nothing: counted as failed renewals, recovered from, never given to the client.</summary>
public sealed class PortSyncLoopGrantTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Step_InvalidGrants_CountedAsFailuresRecoveredAndNeverWritten()
    {
        var gateway = new FakePortMapper(_time) { Failure = NatPmpFailure.InvalidGrant };
        var client = new FakeTorrentClient();
        var recovery = new FakeRecoveryAction(_time);
        var metrics = new SyncMetrics("test");
        var settings = new SyncSettings { FailureRetryDelay = TimeSpan.Zero };
        var loop = new PortSyncLoop(gateway, client, recovery, metrics, settings, _time, NullLogger<PortSyncLoop>.Instance);

        var start = _time.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            await loop.StepAsync(default);
            _time.Advance(SyncDecisions.NextWake(loop.State, _time.GetUtcNow(), settings) - _time.GetUtcNow());
        }

        Assert.Null(loop.State.MappedPort);
        Assert.Empty(client.Calls);
        Assert.NotEmpty(recovery.Runs);
        Assert.Contains("granted no usable mapping", loop.State.LastError, StringComparison.Ordinal);

        // A retry delay of 0 still leaves a second between renewals (UDP fails first, so one request per renewal).
        var elapsed = _time.GetUtcNow() - start;
        Assert.True(gateway.Maps.Count <= elapsed / SyncDecisions.MinimumRenewalSpacing + 1, $"{gateway.Maps.Count} requests in {elapsed}");

        var text = await ScrapeAsync(metrics);
        Assert.Equal(gateway.Maps.Count, Value(text, MetricNames.InvalidGrants));
        Assert.Equal(gateway.Maps.Count, Value(text, MetricNames.Failures));
    }

    [Fact]
    public async Task RenewalFailed_OtherFailure_InvalidGrantsStaysZero()
    {
        var metrics = new SyncMetrics("test");

        metrics.RenewalFailed(new NatPmpException(NatPmpFailure.Timeout, NatPmpOpcode.MapUdp, new IPEndPoint(IPAddress.Loopback, 5351)));

        Assert.Equal(0, Value(await ScrapeAsync(metrics), MetricNames.InvalidGrants));
    }
}
