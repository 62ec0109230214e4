using System.Globalization;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>
/// The daemon as a process (`--client file`) in a loopback-only namespace against a <see cref="ScriptedGateway"/>,
/// with the port file watched every 50 ms for anything that is not a port, and short timings (renew 1 s, timeout 1 s).
/// </summary>
internal sealed class DaemonUnderFault : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-fault-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private readonly HashSet<string> _seen = [];

    /// <param name="purpose">Part of the namespace's name.</param>
    /// <param name="qbittorrent">Keep a scripted qBittorrent in sync instead of the port file.</param>
    /// <param name="recovery">The recovery action; "systemd" with no system bus tests D-Bus being unavailable.</param>
    public DaemonUnderFault(string purpose, bool qbittorrent = false, string recovery = "none")
    {
        Namespace = NetworkNamespace.Create(purpose);
        Gateway = new ScriptedGateway(Namespace);
        PortFile = Path.Combine(_directory, "forwarded_port");
        string[] client = ["--client", "file", "--port-file", PortFile];
        if (qbittorrent)
        {
            QBittorrent = new ScriptedQBittorrent(Namespace);
            var password = Path.Combine(_directory, "qbt-password");
            File.WriteAllText(password, "adminadmin\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(password, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            client = ["--client", "qbittorrent", "--qbt-url", QBittorrent.BaseUrl.ToString(), "--qbt-password-file", password];
        }

        Daemon = DaemonProcess.Start(
            Namespace,
            [
                "run",
                "--gateway", Gateway.EndPoint.ToString(),
                "--bind-address", "127.0.0.1",
                "--internal-port", "0",
                "--renew-interval", "1",
                "--request-timeout", "1",
                "--recovery", recovery,
                .. client,
            ],
            new Dictionary<string, string>(StringComparer.Ordinal) { ["DBUS_SYSTEM_BUS_ADDRESS"] = $"unix:path={_directory}/no-bus" });
        _watch = Task.Run(WatchAsync);
    }

    public ScriptedQBittorrent? QBittorrent { get; }

    public NetworkNamespace Namespace { get; }

    public ScriptedGateway Gateway { get; }

    public DaemonProcess Daemon { get; }

    public string PortFile { get; }

    /// <summary>Every content the port file had, as seen by the watcher.</summary>
    public IReadOnlyCollection<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Waits (bounded) until the client (port file or scripted qBittorrent) has <paramref name="port"/>; false if it never did.</summary>
    public async Task<bool> WaitForPortAsync(int port, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (QBittorrent is { } q ? q.ListenPort == port : Read() == $"{port}\n")
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>What must hold under any fault: the daemon runs, the file only ever held ports, the rate is bounded.</summary>
    public void AssertSafe(params int[] allowedPorts)
    {
        Assert.False(Daemon.Process.HasExited, $"the daemon exited:\n{Daemon.Output}");
        foreach (var content in Seen)
        {
            Assert.True(int.TryParse(content.TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1024 and <= 65535, $"port file held '{content}'");
            if (allowedPorts.Length > 0)
            {
                Assert.Contains(port, allowedPorts);
            }
        }

        if (QBittorrent is { } qbt)
        {
            lock (qbt.Written)
            {
                Assert.All(qbt.Written, p => Assert.InRange(p, 1024, 65535));
            }
        }

        // A renewal is at most three exchanges of three sends within the 1 s timeout, and renewals are a second apart.
        Assert.True(Gateway.MaxRequestsPerSecond() <= 20, $"{Gateway.MaxRequestsPerSecond()} requests within one second");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _watch.Wait(TimeSpan.FromSeconds(2));
        Daemon.Process.Stop(TimeSpan.FromSeconds(3));
        Daemon.Dispose();
        QBittorrent?.Dispose();
        Gateway.Dispose();
        Namespace.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string? Read()
    {
        try
        {
            return File.ReadAllText(PortFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (Read() is { } content)
            {
                lock (_seen)
                {
                    _seen.Add(content);
                }
            }

            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
