using System.Globalization;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// A real systemd service manager for one test: <c>systemd --user</c> in a private mount namespace (where a tmpfs
/// over /run/systemd holds the "booted with systemd" marker, so the host never sees it), with its own
/// XDG_RUNTIME_DIR, XDG_CONFIG_HOME, HOME and session bus. Units go in <see cref="UnitDirectory"/>. The manager
/// owns org.freedesktop.systemd1 on <see cref="BusAddress"/>, so a daemon pointed there has its RestartUnit
/// answered by real systemd. On dispose the manager (which stops its units) and the bus are stopped by PID and the
/// directory is deleted. Recipe: ../shared/notes/real-systemd.md.
/// </summary>
internal sealed class SystemdUserManager : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly ChildProcess _bus;
    private ChildProcess? _manager;

    private SystemdUserManager(string root, ChildProcess bus)
    {
        Root = root;
        _bus = bus;
    }

    /// <summary>The private directory that holds the runtime dir, config dir, home and anything a test writes.</summary>
    public string Root { get; }

    public string RuntimeDirectory => Path.Combine(Root, "run");

    public string ConfigDirectory => Path.Combine(Root, "config");

    public string Home => Path.Combine(Root, "home");

    public string UnitDirectory => Path.Combine(ConfigDirectory, "systemd", "user");

    public string BusAddress => $"unix:path={Path.Combine(RuntimeDirectory, "bus")}";

    public int ManagerPid => _manager?.Pid ?? throw new InvalidOperationException("the manager is not running");

    public static async Task<SystemdUserManager> StartAsync()
    {
        // The mount point the namespace's tmpfs goes on; an empty directory on the host is harmless.
        Directory.CreateDirectory("/run/systemd");
        var root = Directory.CreateTempSubdirectory("pps-systemd-").FullName;
        foreach (var dir in new[] { "run", "home", Path.Combine("config", "systemd", "user") })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        Shell.Check("chmod", "0700", Path.Combine(root, "run"));
        var socket = Path.Combine(root, "run", "bus");
        var bus = ChildProcess.Start("dbus-daemon", ["--session", $"--address=unix:path={socket}", "--nofork", "--nopidfile"]);
        var manager = new SystemdUserManager(root, bus);
        try
        {
            await WaitUntilAsync(() => File.Exists(socket), StartTimeout, "the session bus socket");
            manager._manager = ChildProcess.Start(
                "unshare",
                ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec /lib/systemd/systemd --user"],
                manager.Environment());
            await WaitUntilAsync(() => manager.Systemctl("is-system-running").StdOut.Trim() is "running" or "degraded", StartTimeout, "systemd --user to be running");
            return manager;
        }
        catch
        {
            manager.Dispose();
            throw;
        }
    }

    /// <summary>Bounded poll of a condition on a real peer; throws with <paramref name="what"/> on timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The variables every process of this manager (and systemctl) runs with.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
        ["XDG_CONFIG_HOME"] = ConfigDirectory,
        ["HOME"] = Home,
        ["DBUS_SESSION_BUS_ADDRESS"] = BusAddress,
    };

    /// <summary><c>systemctl --user ARGS</c> inside the manager's mount namespace.</summary>
    public ShellResult Systemctl(params string[] args)
    {
        var env = Environment().Select(kv => $"{kv.Key}={kv.Value}");
        var pid = _manager?.Pid.ToString(CultureInfo.InvariantCulture);
        return pid is null
            ? new ShellResult(1, string.Empty, "no manager")
            : Shell.Run("nsenter", ["-t", pid, "-m", "env", .. env, "systemctl", "--user", "--no-pager", .. args], TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs systemctl and throws with its output (and the unit's log, if any) when it fails.</summary>
    public string Check(params string[] args)
    {
        var r = Systemctl(args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"systemctl --user {string.Join(' ', args)} exited {r.ExitCode}: {r.StdErr}{r.StdOut}");
        }

        return r.StdOut;
    }

    /// <summary>One property of a unit (<c>systemctl show -p NAME --value</c>).</summary>
    public string Show(string unit, string property) => Check("show", "-p", property, "--value", unit).Trim();

    public void WriteUnit(string name, string text)
    {
        File.WriteAllText(Path.Combine(UnitDirectory, name), text);
        Check("daemon-reload");
    }

    public void WriteDropIn(string unit, string text)
    {
        var dir = Path.Combine(UnitDirectory, unit + ".d");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "test.conf"), text);
        Check("daemon-reload");
    }

    public void Dispose()
    {
        // SIGTERM makes the manager stop its units (the daemon releases its mappings) and exit.
        _manager?.Stop(TimeSpan.FromSeconds(20));
        _manager?.Dispose();
        _bus.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A unit still writing its log as the manager went down; the temp directory is cleaned later.
        }
    }
}
