using System.Net;
using System.Text.Json;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Observability;

public sealed class StatusDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly SyncCounters Counters = new(5, 1, 2, 0, 1, 0, 3, 1, 0);

    [Fact]
    public void Serialize_LiveState_SnakeCaseFieldsWithValues()
    {
        var state = SyncState.Initial with
        {
            MappedPort = 40000,
            PublicAddress = IPAddress.Parse("203.0.113.7"),
            LeaseExpiresAt = Now.AddSeconds(60),
            ClientPort = 40000,
            ConsecutiveFailures = 1,
            LastError = "no reply",
        };
        var document = StatusDocument.Create(new SyncSnapshot(state, Now), new HealthReport(true, "ok: port 40000"), Counters);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument));
        var root = json.RootElement;

        Assert.True(root.GetProperty("healthy").GetBoolean());
        Assert.Equal("ok: port 40000", root.GetProperty("health").GetString());
        Assert.Equal(40000, root.GetProperty("current_port").GetInt32());
        Assert.Equal("203.0.113.7", root.GetProperty("public_address").GetString());
        Assert.Equal("203.0.113.7:40000", root.GetProperty("peers_connect_to").GetString());
        Assert.Equal(Now.AddSeconds(60), root.GetProperty("lease_expires_at").GetDateTimeOffset());
        Assert.Equal(40000, root.GetProperty("client_port").GetInt32());
        Assert.True(root.GetProperty("in_sync").GetBoolean());
        Assert.Equal("no reply", root.GetProperty("last_error").GetString());
        Assert.Equal(1, root.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal(5, root.GetProperty("counters").GetProperty("renewals").GetInt64());
        Assert.Equal(1, root.GetProperty("counters").GetProperty("client_update_failures").GetInt64());
    }

    [Fact]
    public void Serialize_BeforeFirstHeartbeat_NullsAndNotInSync()
    {
        var document = StatusDocument.Create(null, new HealthReport(false, "starting"), Counters);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument));
        var root = json.RootElement;

        Assert.False(root.GetProperty("healthy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("current_port").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("heartbeat_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("peers_connect_to").ValueKind);
        Assert.False(root.GetProperty("in_sync").GetBoolean());
    }

    [Fact]
    public void Heartbeat_TwoStates_HolderKeepsTheLast()
    {
        var holder = new StatusHolder();
        holder.Heartbeat(SyncState.Initial with { MappedPort = 1 }, Now);

        holder.Heartbeat(SyncState.Initial with { MappedPort = 2 }, Now.AddSeconds(15));

        Assert.Equal(2, holder.Snapshot!.State.MappedPort);
        Assert.Equal(Now.AddSeconds(15), holder.Snapshot.HeartbeatAt);
    }
}
