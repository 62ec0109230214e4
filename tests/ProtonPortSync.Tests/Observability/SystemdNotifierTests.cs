using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ProtonPortSync.Observability;

namespace ProtonPortSync.Tests.Observability;

/// <summary>A stand-in NOTIFY_SOCKET: a real AF_UNIX datagram socket that receives exactly what systemd would.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private const int OurPid = 4242;
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-notify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ctor_NoNotifySocket_IsDisabledAndEverySendIsANoOp()
    {
        using var notifier = new SystemdNotifier(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "30000000" });
        Assert.False(notifier.IsEnabled);
        Assert.Null(notifier.WatchdogInterval);
        Assert.False(notifier.Ready("up"));
        Assert.False(notifier.Watchdog());
        Assert.False(notifier.Stopping());
    }

    [Fact]
    public void Ready_PathSocket_SendsReadyAndStatusInOneDatagram()
    {
        using var listener = BindPath(out var path);
        using var notifier = Create(path);
        Assert.True(notifier.Ready("mapped port 40010"));
        Assert.Equal("READY=1\nSTATUS=mapped port 40010", Receive(listener));
    }

    [Fact]
    public void Status_WithNewlines_StaysOneAssignment()
    {
        using var listener = BindPath(out var path);
        using var notifier = Create(path);
        notifier.Status("line one\nREADY=1");
        Assert.Equal("STATUS=line one READY=1", Receive(listener));
    }

    [Fact]
    public void Sends_EachCall_OneDatagramWithExactBytes()
    {
        using var listener = BindPath(out var path);
        using var notifier = Create(path);
        notifier.Watchdog();
        notifier.Stopping();
        notifier.ExtendTimeout(TimeSpan.FromSeconds(90));
        Assert.Equal("WATCHDOG=1", Receive(listener));
        Assert.Equal("STOPPING=1", Receive(listener));
        Assert.Equal("EXTEND_TIMEOUT_USEC=90000000", Receive(listener));
    }

    [Fact]
    public void Watchdog_AbstractSocket_ReachesTheAbstractName()
    {
        var name = "pps-notify-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = Create("@" + name);
        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.Watchdog());
        Assert.Equal("WATCHDOG=1", Receive(listener));
    }

    [Fact]
    public void Ready_NobodyListening_ReturnsFalseWithoutThrowing()
    {
        using var notifier = Create(Path.Combine(_directory, "absent.sock"));
        Assert.True(notifier.IsEnabled);
        Assert.False(notifier.Ready("up"));
    }

    [Theory]
    [InlineData("30000000", null, 15_000)]
    [InlineData("30000000", "4242", 15_000)]
    [InlineData("30000000", "1", null)]
    [InlineData("30000000", "not-a-pid", null)]
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("soon", null, null)]
    public void WatchdogInterval_FromEnvironment_IsHalfTheUsecForUs(string usec, string? pid, int? expectedMilliseconds)
    {
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/run/systemd/notify", ["WATCHDOG_USEC"] = usec };
        if (pid is not null)
        {
            environment["WATCHDOG_PID"] = pid;
        }

        using var notifier = new SystemdNotifier(environment, processId: OurPid);
        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, notifier.WatchdogInterval);
    }

    [Theory]
    [InlineData("relative/notify")]
    [InlineData("@")]
    [InlineData("")]
    public void Ctor_UnusableNotifySocket_IsDisabled(string value)
    {
        using var notifier = new SystemdNotifier(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = value });
        Assert.False(notifier.IsEnabled);
    }

    private static SystemdNotifier Create(string socket)
        => new(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socket }, processId: OurPid);

    private static string Receive(Socket listener)
    {
        // The datagram is queued before SendTo returns, so this never waits; the timeout only guards a bug.
        listener.ReceiveTimeout = 2000;
        var buffer = new byte[4096];
        var n = listener.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private Socket BindPath(out string path)
    {
        path = Path.Combine(_directory, "notify.sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
