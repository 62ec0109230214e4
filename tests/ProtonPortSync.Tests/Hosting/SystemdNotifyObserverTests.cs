using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Hosting;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;

namespace ProtonPortSync.Tests.Hosting;

/// <summary>
/// The watchdog contract against a stand-in NOTIFY_SOCKET (a real AF_UNIX datagram socket): READY=1 after the first
/// cycle, WATCHDOG=1 while the loop turns, and no ping at all once the loop is stuck.
/// </summary>
public sealed class SystemdNotifyObserverTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-notify-").FullName;
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SystemdNotifier _notifier;

    public SystemdNotifyObserverTests()
    {
        var path = Path.Combine(_directory, "notify");
        _systemd.Bind(new UnixDomainSocketEndPoint(path));
        _systemd.ReceiveTimeout = 5000;
        _notifier = new SystemdNotifier(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "2000000" });
    }

    public void Dispose()
    {
        _notifier.Dispose();
        _systemd.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_LoopAliveThenStuck_PingsStopWhenStuck()
    {
        var mapper = new FakePortMapper(_time);
        var observer = new SystemdNotifyObserver(_notifier);
        var settings = new SyncSettings { RenewInterval = TimeSpan.FromSeconds(5), MaxSleep = observer.WatchdogInterval!.Value };
        var loop = new PortSyncLoop(mapper, new FakeTorrentClient(), new FakeRecoveryAction(_time), observer, settings, _time, NullLogger<PortSyncLoop>.Instance);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(cts.Token);

        Assert.StartsWith("READY=1\nSTATUS=Forwarded port 40010; client in sync", Receive(), StringComparison.Ordinal);
        Assert.Equal("WATCHDOG=1", Receive());
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("WATCHDOG=1", Receive());
        }

        // The renewal due at 5 s never returns (a bug that ignores its deadline): the loop is stuck, and systemd
        // must stop hearing from it.
        mapper.Hang = true;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("WATCHDOG=1", Receive());
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, mapper.Maps.Count);
        Assert.Equal(0, _systemd.Available);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Heartbeat_StatusUnchanged_SendsOnlyTheWatchdogPing()
    {
        var observer = new SystemdNotifyObserver(_notifier);
        var state = SyncState.Initial with { MappedPort = 40010, ClientPort = 6881 };

        observer.Heartbeat(state, _time.GetUtcNow());
        observer.Heartbeat(state, _time.GetUtcNow());
        observer.Heartbeat(state with { ClientPort = 40010 }, _time.GetUtcNow());

        Assert.Equal(
            ["READY=1\nSTATUS=Forwarded port 40010; client on 6881, updating", "WATCHDOG=1", "WATCHDOG=1", "STATUS=Forwarded port 40010; client in sync", "WATCHDOG=1"],
            [Receive(), Receive(), Receive(), Receive(), Receive()]);
    }

    [Fact]
    public void Heartbeat_StateChangedButNotWhatTheStatusShows_NoStatusRepeated()
    {
        var observer = new SystemdNotifyObserver(_notifier);
        var inSync = SyncState.Initial with { MappedPort = 40010, ClientPort = 40010 };

        observer.Heartbeat(inSync, _time.GetUtcNow());
        observer.Heartbeat(inSync with { ConsecutiveFailures = 1 }, _time.GetUtcNow());
        observer.Heartbeat(inSync with { MappedPort = 40020, ClientPort = 40020 }, _time.GetUtcNow());
        observer.Heartbeat(SyncState.Initial with { ConsecutiveFailures = 2 }, _time.GetUtcNow());
        observer.Heartbeat(SyncState.Initial with { ConsecutiveFailures = 3 }, _time.GetUtcNow());
        observer.Heartbeat(SyncState.Initial with { ConsecutiveFailures = 3, CooldownUntil = _time.GetUtcNow().AddMinutes(1) }, _time.GetUtcNow());

        // Every field the line shows moves it (port, client port, failures, cool-down); a field it hides does not.
        Assert.Equal(
            [
                "READY=1\nSTATUS=Forwarded port 40010; client in sync", "WATCHDOG=1", "WATCHDOG=1", "STATUS=Forwarded port 40020; client in sync", "WATCHDOG=1",
                "STATUS=No mapping: 2 failed renewal(s)", "WATCHDOG=1", "STATUS=No mapping: 3 failed renewal(s)", "WATCHDOG=1",
                "STATUS=Tunnel restarted; waiting before mapping again", "WATCHDOG=1",
            ],
            Enumerable.Range(0, 11).Select(_ => Receive()));
        Assert.Equal(0, _systemd.Available);
    }

    [Fact]
    public void Heartbeat_NoWatchdogConfigured_NoPings()
    {
        var path = Path.Combine(_directory, "notify");
        using var notifier = new SystemdNotifier(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
        var observer = new SystemdNotifyObserver(notifier);

        observer.Heartbeat(SyncState.Initial, _time.GetUtcNow());
        observer.Heartbeat(SyncState.Initial, _time.GetUtcNow());

        Assert.Equal("READY=1\nSTATUS=No mapping yet", Receive());
        Assert.Equal(0, _systemd.Available);
    }

    private string Receive()
    {
        var buffer = new byte[512];
        var n = _systemd.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
