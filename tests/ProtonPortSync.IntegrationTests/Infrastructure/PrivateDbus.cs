using System.Security;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A private <c>dbus-daemon</c> on a unix socket in a temp directory, with a policy that allows everything. It
/// stands in for the system bus. Stopped by its PID on dispose; the directory is deleted.
/// <see cref="RestartAsync"/> stops it and starts a new daemon on the same socket path (a "dbus restarted" fault).
/// </summary>
internal sealed class PrivateDbus : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly string _directory;
    private readonly string _configPath;
    private ChildProcess? _daemon;

    private PrivateDbus(string directory)
    {
        _directory = directory;
        SocketPath = Path.Combine(directory, "bus");
        _configPath = Path.Combine(directory, "bus.conf");
        File.WriteAllText(_configPath, Config(SocketPath));
    }

    public string SocketPath { get; }

    /// <summary>The address clients use, as the daemon printed it (with its guid).</summary>
    public string Address { get; private set; } = string.Empty;

    public static async Task<PrivateDbus> StartAsync()
    {
        var bus = new PrivateDbus(Directory.CreateTempSubdirectory("pps-dbus-").FullName);
        try
        {
            await bus.StartDaemonAsync();
            return bus;
        }
        catch
        {
            await bus.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the daemon (by PID); clients see their connection close.</summary>
    public void Stop()
    {
        _daemon?.Dispose();
        _daemon = null;
        File.Delete(SocketPath);
    }

    public async Task RestartAsync()
    {
        Stop();
        await StartDaemonAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task StartDaemonAsync()
    {
        _daemon = ChildProcess.Start("dbus-daemon", [$"--config-file={_configPath}", "--nofork", "--print-address=1"]);
        var line = await _daemon.WaitForLineAsync(l => l.StartsWith("unix:", StringComparison.Ordinal), StartTimeout);
        Address = line.Trim();
    }

    private static string Config(string socketPath) => $"""
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>custom</type>
          <listen>unix:path={SecurityElement.Escape(socketPath)}</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow user="*"/>
            <allow own="*"/>
            <allow send_destination="*"/>
            <allow receive_sender="*"/>
          </policy>
        </busconfig>
        """;
}
