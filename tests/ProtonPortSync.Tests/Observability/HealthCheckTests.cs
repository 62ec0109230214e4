using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Observability;

public sealed class HealthCheckTests
{
    private static readonly HealthSettings Settings = new(TimeSpan.FromSeconds(45), MaxFailures: 3, StaleAfter: TimeSpan.FromSeconds(60));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    private SyncState Live(int port = 40000, int? client = 40000) => SyncState.Initial with
    {
        MappedPort = port,
        LeaseExpiresAt = Now + TimeSpan.FromSeconds(60),
        LastRenewalAt = Now,
        ClientPort = client,
    };

    private HealthReport Evaluate(SyncState state, TimeSpan? heartbeatAge = null)
        => HealthCheck.Evaluate(new SyncSnapshot(state, Now - (heartbeatAge ?? TimeSpan.Zero)), Now, Settings);

    [Fact]
    public void Evaluate_LiveMappingAndClientOnPort_Healthy()
    {
        var report = Evaluate(Live());

        Assert.True(report.Healthy);
        Assert.Contains("port 40000", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoHeartbeatYet_UnhealthyStarting()
    {
        var report = HealthCheck.Evaluate(null, Now, Settings);

        Assert.False(report.Healthy);
        Assert.StartsWith("starting", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HeartbeatOlderThanStaleAfter_UnhealthyStalled()
    {
        var report = Evaluate(Live(), heartbeatAge: TimeSpan.FromSeconds(61));

        Assert.False(report.Healthy);
        Assert.Contains("stalled", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LeaseExpiryPassed_UnhealthyLapsed()
    {
        var state = Live();
        _time.Advance(TimeSpan.FromSeconds(61));

        var report = Evaluate(state);

        Assert.False(report.Healthy);
        Assert.Contains("lease lapsed", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NeverMapped_UnhealthyNoMapping()
    {
        var report = Evaluate(SyncState.Initial);

        Assert.False(report.Healthy);
        Assert.Equal("no mapping yet", report.Reason);
    }

    [Fact]
    public void Evaluate_OneFailureWhileLeaseLives_Healthy()
    {
        var report = Evaluate(Live() with { ConsecutiveFailures = 1, LastError = "no reply" });

        Assert.True(report.Healthy);
    }

    [Fact]
    public void Evaluate_FailureAfterLeaseLapsed_UnhealthyGatewayFailingWithError()
    {
        var state = SyncState.Initial with { ConsecutiveFailures = 1, LastError = "connection refused", LastRenewalAt = Now - TimeSpan.FromMinutes(2) };

        var report = Evaluate(state);

        Assert.False(report.Healthy);
        Assert.Equal("gateway failing: 1 renewal(s) failed in a row: connection refused", report.Reason);
    }

    [Fact]
    public void Evaluate_MaxFailuresWhileLeaseLives_UnhealthyGatewayFailing()
    {
        var report = Evaluate(Live() with { ConsecutiveFailures = 3 });

        Assert.False(report.Healthy);
        Assert.StartsWith("gateway failing: 3", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ClientOutOfSyncWithinOneCycle_HealthySyncing()
    {
        var report = Evaluate(Live(client: 6881) with { OutOfSyncSince = Now - TimeSpan.FromSeconds(45) });

        Assert.True(report.Healthy);
        Assert.Contains("syncing", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ClientOutOfSyncLongerThanOneCycle_UnhealthyNamesBothPorts()
    {
        var report = Evaluate(Live(client: 6881) with { OutOfSyncSince = Now - TimeSpan.FromSeconds(46) });

        Assert.False(report.Healthy);
        Assert.Equal("client out of sync for 46 s: it listens on 6881, the gateway forwards 40000", report.Reason);
    }

    [Fact]
    public void Evaluate_ClientNeverReadForLong_UnhealthyUnknownPort()
    {
        var report = Evaluate(Live(client: null) with { OutOfSyncSince = Now - TimeSpan.FromMinutes(5) });

        Assert.False(report.Healthy);
        Assert.Contains("listens on unknown", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_DefaultSyncSettings_StaleAfterCoversSleepAndOneRenewal()
    {
        var settings = HealthSettings.From(new SyncSettings());

        Assert.Equal(TimeSpan.FromSeconds(45), settings.RenewInterval);
        Assert.Equal(3, settings.MaxFailures);
        Assert.True(settings.StaleAfter > new SyncSettings().MaxSleep + new SyncSettings().RequestTimeout);
    }
}
