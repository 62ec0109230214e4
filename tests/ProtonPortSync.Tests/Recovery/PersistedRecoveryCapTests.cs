using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;

namespace ProtonPortSync.Tests.Recovery;

/// <summary>
/// The hourly cap across process restarts: each "process" is a new loop over the same history file, as when
/// restarting the tunnel restarts the daemon (BindsTo=). The real-systemd version is in the integration tests.
/// </summary>
public sealed class PersistedRecoveryCapTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-cap-").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SyncSettings _settings = new() { MaxRecoveriesPerHour = 2 };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A fresh daemon: new loop, new recovery action, the same state directory.</summary>
    private (PortSyncLoop Loop, FakeRecoveryAction Recovery) NewProcess()
    {
        var gateway = new FakePortMapper(_time) { Failure = NatPmpFailure.ConnectionRefused };
        var recovery = new FakeRecoveryAction(_time);
        var history = new RecoveryHistoryFile(_directory, NullLogger.Instance);
        var loop = new PortSyncLoop(gateway, new FakeTorrentClient(), recovery, new RecordingObserver(), _settings, _time, NullLogger<PortSyncLoop>.Instance, history);
        return (loop, recovery);
    }

    /// <summary>Steps until the process has run one recovery (then it would be restarted), or for a bounded number of cycles.</summary>
    private async Task<int> RunUntilFirstRecoveryAsync(int maxCycles = 50)
    {
        var (loop, recovery) = NewProcess();
        for (var i = 0; i < maxCycles && recovery.Runs.Count == 0; i++)
        {
            var wake = SyncDecisions.NextWake(loop.State, _time.GetUtcNow(), _settings);
            _time.Advance(wake - _time.GetUtcNow());
            await loop.StepAsync(default);
        }

        return recovery.Runs.Count;
    }

    [Fact]
    public async Task Step_ProcessRestartedAfterEachRecovery_CapHoldsAcrossProcesses()
    {
        var total = 0;
        for (var process = 0; process < 6; process++)
        {
            total += await RunUntilFirstRecoveryAsync();
        }

        Assert.Equal(2, total);
        Assert.True(_time.GetUtcNow() < Start.AddHours(1));
    }

    [Fact]
    public async Task Step_AnHourAfterTheCappedRecoveries_RecoversAgain()
    {
        await RunUntilFirstRecoveryAsync();
        await RunUntilFirstRecoveryAsync();
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(1, await RunUntilFirstRecoveryAsync());
    }

    [Fact]
    public async Task Step_Recovery_WrittenBeforeTheActionRuns()
    {
        var history = new RecoveryHistoryFile(_directory, NullLogger.Instance);
        var recovery = new ReadsHistoryWhenRun(() => history.Load(_time.GetUtcNow(), SyncSettings.RecoveryWindow).Length);
        var gateway = new FakePortMapper(_time) { Failure = NatPmpFailure.ConnectionRefused };
        var loop = new PortSyncLoop(gateway, new FakeTorrentClient(), recovery, new RecordingObserver(), _settings, _time, NullLogger<PortSyncLoop>.Instance, history);
        for (var i = 0; i < 50 && recovery.SeenAtRun is null; i++)
        {
            _time.Advance(SyncDecisions.NextWake(loop.State, _time.GetUtcNow(), _settings) - _time.GetUtcNow());
            await loop.StepAsync(default);
        }

        // A tunnel restart stops this process mid-call: the file must already count the recovery.
        Assert.Equal(1, recovery.SeenAtRun);
    }

    private sealed class ReadsHistoryWhenRun(Func<int> count) : IRecoveryAction
    {
        public int? SeenAtRun { get; private set; }

        public string Description => "reads the history";

        public Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
        {
            SeenAtRun = count();
            return Task.CompletedTask;
        }
    }
}
