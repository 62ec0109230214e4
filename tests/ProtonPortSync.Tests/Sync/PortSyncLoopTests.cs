using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Sync;

public sealed class PortSyncLoopTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakePortMapper _gateway;
    private readonly FakeTorrentClient _client = new();
    private readonly FakeRecoveryAction _recovery;
    private readonly RecordingObserver _observer = new();
    private readonly SyncSettings _settings = new();
    private readonly PortSyncLoop _loop;

    public PortSyncLoopTests()
    {
        _gateway = new FakePortMapper(_time);
        _recovery = new FakeRecoveryAction(_time);
        _loop = new PortSyncLoop(_gateway, _client, _recovery, _observer, _settings, _time, NullLogger<PortSyncLoop>.Instance);
    }

    private DateTimeOffset Start { get; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Advances the fake clock to the loop's next wake-up and steps once, like RunAsync does.</summary>
    private async Task NextCycleAsync()
    {
        var wake = SyncDecisions.NextWake(_loop.State, _time.GetUtcNow(), _settings);
        _time.Advance(wake - _time.GetUtcNow());
        await _loop.StepAsync(default);
    }

    /// <summary>Cycles (bounded) until <paramref name="done"/> holds.</summary>
    private async Task CycleUntilAsync(Func<bool> done, int maxCycles = 500)
    {
        for (var i = 0; i < maxCycles && !done(); i++)
        {
            await NextCycleAsync();
        }

        Assert.True(done(), $"condition not reached within {maxCycles} cycles");
    }

    [Fact]
    public async Task Step_FirstCycle_MapsUdpThenTcpWithProtonRequestAndSetsClient()
    {
        await _loop.StepAsync(default);

        Assert.Equal([(NatPmpProtocol.Udp, (ushort)1), (NatPmpProtocol.Tcp, (ushort)40010)], _gateway.Maps.Select(m => (m.Protocol, m.Suggested)));
        Assert.Equal(["get", "set 40010"], _client.Calls);
        Assert.Equal(40010, _client.ListenPort);
        Assert.True(_loop.State.InSync);
        Assert.Contains("changed ->40010", _observer.Events);
    }

    [Fact]
    public async Task Step_Renewal_SuggestsGrantedPortAtHalfLifetime()
    {
        await _loop.StepAsync(default);
        await CycleUntilAsync(() => _gateway.Maps.Count > 2);

        Assert.Equal(4, _gateway.Maps.Count);
        Assert.Equal(Start.AddSeconds(30), _gateway.Maps[2].At);
        Assert.Equal(40010, _gateway.Maps[2].Suggested);
    }

    [Fact]
    public async Task Step_ClientAlreadyOnPort_ReadsButDoesNotWrite()
    {
        _client.ListenPort = 40010;

        await _loop.StepAsync(default);

        Assert.Equal(["get"], _client.Calls);
    }

    [Fact]
    public async Task Step_GatewayChangesPort_ClientUpdatedInTheSameCycle()
    {
        await _loop.StepAsync(default);
        _gateway.Port = 51111;
        _client.Calls.Clear();

        await CycleUntilAsync(() => _gateway.Maps.Count > 2);

        Assert.Equal(Start.AddSeconds(30), _time.GetUtcNow());
        Assert.Equal(["get", "set 51111"], _client.Calls);
        Assert.Contains("changed 40010->51111", _observer.Events);
    }

    [Fact]
    public async Task Step_ClientDriftsByHand_RepairedWithinOneCycle()
    {
        await _loop.StepAsync(default);
        _client.ListenPort = 6881; // qBittorrent restarted with its old port, or edited by hand

        for (var i = 0; i < 5 && _client.ListenPort != 40010; i++)
        {
            await NextCycleAsync();
        }

        Assert.Equal(40010, _client.ListenPort);
        Assert.True(_time.GetUtcNow() - Start <= _settings.RenewInterval, $"repaired after {_time.GetUtcNow() - Start}");
    }

    [Fact]
    public async Task Step_ClientDown_RetriedWithBackoffThenSetAsSoonAsBack()
    {
        for (var i = 0; i < 3; i++)
        {
            _client.Failures.Enqueue(new TorrentClientException("fake", TorrentClientFailure.Unreachable, "connection refused"));
        }

        var attempts = new List<TimeSpan>();
        for (var i = 0; i < 10 && _client.ListenPort != 40010; i++)
        {
            var before = _client.Calls.Count;
            await NextCycleAsync();
            if (_client.Calls.Count > before)
            {
                attempts.Add(_time.GetUtcNow() - Start);
            }
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7)], attempts);
        Assert.Equal(40010, _client.ListenPort);
        Assert.Equal(3, _observer.Events.Count(e => e == "client Failure"));
    }

    [Fact]
    public async Task Step_ClientHangs_CutOffBeforeTheNextRenewalWhichHappensOnTime()
    {
        await _loop.StepAsync(default);
        await CycleUntilAsync(() => _gateway.Maps.Count == 4); // renewal at 30 s; next at 60 s, client check at 45 s
        _client.Hang = true;

        _time.Advance(_loop.State.NextClientCheckAt - _time.GetUtcNow());
        var step = _loop.StepAsync(default); // blocked in the client
        _time.Advance(_loop.State.NextRenewAt - _time.GetUtcNow());
        await step.WaitAsync(TimeSpan.FromSeconds(10));
        _client.Hang = false;
        await _loop.StepAsync(default);

        Assert.Equal(Start.AddSeconds(60), _time.GetUtcNow());
        Assert.Equal(Start.AddSeconds(60), _gateway.Maps[4].At);
        Assert.Contains("client Failure", _observer.Events);
        Assert.Null(_loop.State.ClientPort);
    }

    [Fact]
    public async Task Step_BadPassword_NotRetriedBeforeAdapterSays()
    {
        _client.Failures.Enqueue(new TorrentClientException("fake", TorrentClientFailure.BadCredentials, "wrong password", Start.AddMinutes(15)));

        await _loop.StepAsync(default);
        await CycleUntilAsync(() => _client.Calls.Count > 1);

        Assert.Equal(Start.AddMinutes(15), _time.GetUtcNow());
        Assert.Equal(["get", "get", "set 40010"], _client.Calls);
        Assert.Contains("login BadCredentials", _observer.Events);
    }

    [Fact]
    public async Task Step_GatewayStopsAnswering_RecoversAfterMaxFailuresWithinBoundedTime()
    {
        await _loop.StepAsync(default);
        var lost = Start.AddSeconds(30);
        _gateway.Failure = NatPmpFailure.Timeout;

        await CycleUntilAsync(() => _recovery.Runs.Count > 0, maxCycles: 20);

        // Three renewals, each bounded by the request timeout (5 s), with 2 s between them.
        var detection = Assert.Single(_recovery.Runs) - lost;
        Assert.Equal(TimeSpan.FromSeconds((3 * 5) + (2 * 2)), detection);
        Assert.Null(_loop.State.MappedPort);
        Assert.Equal(1, _gateway.Resets);
        Assert.Equal(["failed Timeout", "failed Timeout", "failed Timeout", "recovery True"], _observer.Events.Where(e => e.StartsWith("failed", StringComparison.Ordinal) || e.StartsWith("recovery", StringComparison.Ordinal)));
        // The recovery command is told the port still held when it ran (its lease had not lapsed) and the failures.
        var context = Assert.Single(_recovery.Contexts);
        Assert.Equal(40010, context.Port);
        Assert.Equal(3, context.ConsecutiveFailures);
    }

    [Fact]
    public async Task Step_AfterRecovery_WaitsCooldownThenRemapsAndRebindsClient()
    {
        await _loop.StepAsync(default);
        _gateway.Failure = NatPmpFailure.Timeout;
        await CycleUntilAsync(() => _recovery.Runs.Count > 0, maxCycles: 20);

        var recoveredAt = _time.GetUtcNow();
        _gateway.Failure = null;
        _client.Calls.Clear();
        await NextCycleAsync();

        Assert.Equal(recoveredAt + _settings.RecoveryCooldown, _time.GetUtcNow());
        Assert.Equal(1, _gateway.Maps[^2].Suggested); // forgot the port: the UDP request asks afresh
        Assert.Equal(["get", "rebind 40010"], _client.Calls);
        Assert.False(_loop.State.RebindPending);
    }

    [Fact]
    public async Task Step_DeadServer_RecoveriesCappedPerHour()
    {
        _gateway.Failure = NatPmpFailure.ConnectionRefused;

        for (var i = 0; i < 2000 && _time.GetUtcNow() < Start.AddHours(1); i++)
        {
            await NextCycleAsync();
        }

        Assert.Equal(_settings.MaxRecoveriesPerHour, _recovery.Runs.Count);
        Assert.All(_recovery.Runs, r => Assert.True(r < Start.AddHours(1)));
    }

    [Fact]
    public async Task Step_RecoveryActionFails_LoopGoesOn()
    {
        _recovery.Fail = true;
        _gateway.Failure = NatPmpFailure.Timeout;
        await CycleUntilAsync(() => _recovery.Runs.Count > 0, maxCycles: 20);

        _gateway.Failure = null;
        await NextCycleAsync();

        Assert.Contains("recovery False", _observer.Events);
        Assert.Equal(40010, _loop.State.MappedPort);
    }

    [Fact]
    public async Task Step_UdpAndTcpDiffer_UsesTcpAndReportsMismatch()
    {
        _gateway.TcpPort = 40011;

        await _loop.StepAsync(default);

        Assert.Equal(40011, _client.ListenPort);
        Assert.Contains("mismatch 40010/40011", _observer.Events);
    }

    [Fact]
    public async Task Step_EpochReset_ReportedAndPortKept()
    {
        await _loop.StepAsync(default);
        _gateway.NextReplyIsReset = true;

        await CycleUntilAsync(() => _gateway.Maps.Count > 2);

        Assert.Contains("reset", _observer.Events);
        Assert.Equal(40010, _loop.State.MappedPort);
    }

    [Fact]
    public async Task Step_GrantedPortBelow1024_ClientNotGivenItAndLoopGoesOn()
    {
        _gateway.Port = 80;

        await _loop.StepAsync(default);

        Assert.Equal(6881, _client.ListenPort);
        Assert.Contains("client Failure", _observer.Events);
    }

    [Fact]
    public async Task Step_GrantedPortBelow1024_NoCallThatWritesIsMade()
    {
        _gateway.Port = 80;

        await _loop.StepAsync(default);

        Assert.Equal(["get"], _client.Calls);
        Assert.Null(_loop.State.ClientPort);
    }

    [Fact]
    public async Task Step_NoClient_InSyncOnTheMappingAlone()
    {
        var loop = new PortSyncLoop(_gateway, null, _recovery, _observer, _settings, _time, NullLogger<PortSyncLoop>.Instance);

        await loop.StepAsync(default);

        Assert.True(loop.State.InSync);
        Assert.Empty(_client.Calls);
    }

    [Fact]
    public async Task Step_Renewed_ObserversHearTheNewStateWithThePublicAddress()
    {
        await _loop.StepAsync(default);

        Assert.Contains("mapping 40010 1.2.3.4", _observer.Events);
    }

    [Fact]
    public async Task RunAsync_Cancelled_DeletesBothMappingsAndReturns()
    {
        using var cts = new CancellationTokenSource();
        var run = _loop.RunAsync(cts.Token);
        for (var i = 0; i < 100 && _client.ListenPort != 40010; i++)
        {
            await Task.Yield();
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([NatPmpProtocol.Udp, NatPmpProtocol.Tcp], _gateway.Deletes);
        Assert.Null(_loop.State.MappedPort);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeAnyMapping_DeletesNothing()
    {
        _gateway.Failure = NatPmpFailure.ConnectionRefused;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await _loop.RunAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(_gateway.Deletes);
    }
}
