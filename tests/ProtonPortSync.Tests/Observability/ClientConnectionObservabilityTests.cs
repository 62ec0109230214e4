using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;
using static ProtonPortSync.Tests.Observability.MetricsText;

namespace ProtonPortSync.Tests.Observability;

/// <summary>The client's own connection status in /metrics, /status and /healthz's text.</summary>
public sealed class ClientConnectionObservabilityTests
{
    private const string Series = "proton_port_sync_client_connection_status";
    private static readonly HealthSettings Health = new(TimeSpan.FromSeconds(45), MaxFailures: 3, StaleAfter: TimeSpan.FromSeconds(60));
    private static readonly SyncCounters Counters = new(0, 0, 0, 0, 0, 0, 0, 0, 0);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    private SyncState Live(ClientConnectionStatus? status, TimeSpan since) => SyncState.Initial with
    {
        MappedPort = 40000,
        LeaseExpiresAt = Now.AddSeconds(60),
        LastRenewalAt = Now,
        ClientPort = 40000,
        ClientConnection = status,
        ClientConnectionSince = status is null ? null : Now - since,
    };

    [Fact]
    public async Task Heartbeat_Firewalled_OneSeriesPerStatusOnlyFirewalledIsOne()
    {
        var metrics = new SyncMetrics("test");

        metrics.Heartbeat(Live(ClientConnectionStatus.Firewalled, TimeSpan.Zero), Now);
        var text = await ScrapeAsync(metrics);

        Assert.Equal(1, Value(text, Series + "{status=\"firewalled\"}"));
        Assert.Equal(0, Value(text, Series + "{status=\"connected\"}"));
        Assert.Equal(0, Value(text, Series + "{status=\"disconnected\"}"));
        Assert.Equal(0, Value(text, Series + "{status=\"unknown\"}"));
        Assert.Contains("# TYPE " + Series + " gauge\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_StatusChangesThenClientReportsNone_MovesThenAllZero()
    {
        var metrics = new SyncMetrics("test");
        metrics.Heartbeat(Live(ClientConnectionStatus.Firewalled, TimeSpan.Zero), Now);

        metrics.Heartbeat(Live(ClientConnectionStatus.Connected, TimeSpan.Zero), Now);
        var connected = await ScrapeAsync(metrics);
        metrics.Heartbeat(Live(null, TimeSpan.Zero), Now);
        var none = await ScrapeAsync(metrics);

        Assert.Equal(1, Value(connected, Series + "{status=\"connected\"}"));
        Assert.Equal(0, Value(connected, Series + "{status=\"firewalled\"}"));
        Assert.All(ClientConnectionStatusText.All, s => Assert.Equal(0, Value(none, $"{Series}{{status=\"{ClientConnectionStatusText.Name(s)}\"}}")));
    }

    [Fact]
    public async Task Heartbeat_ClientUnreadable_StatusNoLongerShown()
    {
        var metrics = new SyncMetrics("test");
        var down = Live(ClientConnectionStatus.Firewalled, TimeSpan.Zero) with { ClientPort = null, OutOfSyncSince = Now };

        metrics.Heartbeat(down, Now);
        var text = await ScrapeAsync(metrics);

        Assert.Equal(0, Value(text, Series + "{status=\"firewalled\"}"));
        Assert.Equal(JsonValueKind.Null, Serialize(down).GetProperty("client_connection_status").ValueKind);
    }

    [Fact]
    public void Evaluate_FirewalledForLong_HealthyButSaysSo()
    {
        var report = HealthCheck.Evaluate(new SyncSnapshot(Live(ClientConnectionStatus.Firewalled, TimeSpan.FromMinutes(12)), Now), Now, Health);

        Assert.True(report.Healthy);
        Assert.Contains("'firewalled' for 12 min", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("firewalled", 9)]
    [InlineData("connected", 60)]
    [InlineData("disconnected", 60)]
    [InlineData("unknown", 60)]
    public void Evaluate_NotFirewalledForLong_NoNote(string status, int minutes)
    {
        var report = HealthCheck.Evaluate(new SyncSnapshot(Live(ClientConnectionStatusText.Parse(status), TimeSpan.FromMinutes(minutes)), Now), Now, Health);

        Assert.True(report.Healthy);
        Assert.DoesNotContain("firewalled", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FirewalledForLongButOutOfSync_UnhealthyForTheRealReason()
    {
        var state = Live(ClientConnectionStatus.Firewalled, TimeSpan.FromMinutes(30)) with { ClientPort = 6881, OutOfSyncSince = Now.AddMinutes(-5) };

        var report = HealthCheck.Evaluate(new SyncSnapshot(state, Now), Now, Health);

        Assert.False(report.Healthy);
        Assert.StartsWith("client out of sync", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusDocument_WithAndWithoutStatus_SnakeCaseTextOrNull()
    {
        var with = Serialize(Live(ClientConnectionStatus.Disconnected, TimeSpan.FromMinutes(2)));
        var without = Serialize(Live(null, TimeSpan.Zero));

        Assert.Equal("disconnected", with.GetProperty("client_connection_status").GetString());
        Assert.Equal(Now.AddMinutes(-2), with.GetProperty("client_connection_since").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, without.GetProperty("client_connection_status").ValueKind);
    }

    private JsonElement Serialize(SyncState state)
    {
        var document = StatusDocument.Create(new SyncSnapshot(state, Now), new HealthReport(true, "ok"), Counters);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument));
        return json.RootElement.Clone();
    }
}
