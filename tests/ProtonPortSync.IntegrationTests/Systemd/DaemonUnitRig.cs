using System.Globalization;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Deploy;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// One test's deployment on a real user manager: the gateway emulator on loopback, a stand-in tunnel unit (or
/// template) that appends its name to <see cref="TunnelStartsFile"/> on every start, and the shipped daemon unit
/// after <see cref="UserManagerUnit.Transform"/>, configured by a drop-in (environment variables only, so the
/// shipped ExecStart line runs as written) with the port file client and short intervals.
/// </summary>
internal sealed class DaemonUnitRig : IAsyncDisposable
{
    private DaemonUnitRig(SystemdUserManager manager, ProtonGatewayEmulator gateway, string daemonUnit)
    {
        Manager = manager;
        Gateway = gateway;
        DaemonUnit = daemonUnit;
    }

    public SystemdUserManager Manager { get; }

    public ProtonGatewayEmulator Gateway { get; }

    /// <summary>The unit name the tests start, e.g. proton-port-sync.service or proton-port-sync@wg7.service.</summary>
    public string DaemonUnit { get; }

    public string PortFile => Path.Combine(Manager.Root, "port");

    public string TunnelStartsFile => Path.Combine(Manager.Root, "tunnel-starts");

    public string LogFile => Path.Combine(Manager.Root, "daemon.log");

    /// <summary>The history file: a user manager puts StateDirectory=proton-port-sync under XDG_CONFIG_HOME (systemd 252).</summary>
    public string HistoryFile => Path.Combine(Manager.ConfigDirectory, "proton-port-sync", "recoveries");

    /// <summary>
    /// Starts the manager and installs the units. <paramref name="shippedUnitFile"/> is a file name under
    /// deploy/systemd; <paramref name="instance"/> is set for the template; <paramref name="extra"/> adds drop-in lines.
    /// </summary>
    public static async Task<DaemonUnitRig> StartAsync(string shippedUnitFile = "proton-port-sync.service", string? instance = null, IReadOnlyDictionary<string, string>? environment = null, string extra = "")
    {
        var manager = await SystemdUserManager.StartAsync();
        var gateway = ProtonGatewayEmulator.Start(TimeProvider.System);
        var unit = instance is null ? shippedUnitFile : shippedUnitFile.Replace("@.", $"@{instance}.", StringComparison.Ordinal);
        var rig = new DaemonUnitRig(manager, gateway, unit);
        try
        {
            rig.Install(shippedUnitFile, instance is not null, environment ?? new Dictionary<string, string>(), extra);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public static string TunnelUnitText(string startsFile) => $"""
        [Unit]
        Description=Stand-in WireGuard tunnel for the tests: records each start
        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=/bin/sh -c 'echo %n >> {startsFile}'
        """;

    /// <summary>The tunnel starts recorded so far (one unit name a line).</summary>
    public IReadOnlyList<string> TunnelStarts()
        => File.Exists(TunnelStartsFile) ? File.ReadAllLines(TunnelStartsFile).Where(l => l.Length > 0).ToList() : [];

    /// <summary>The port the daemon wrote to the port file, or null.</summary>
    public int? ClientPort()
        => File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), CultureInfo.InvariantCulture, out var p) ? p : null;

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;

    public string Show(string property) => Manager.Show(DaemonUnit, property);

    public async ValueTask DisposeAsync()
    {
        Manager.Dispose();
        await Gateway.DisposeAsync();
    }

    private void Install(string shippedUnitFile, bool template, IReadOnlyDictionary<string, string> overrides, string extra)
    {
        var secret = Path.Combine(Manager.Root, "qbt-password");
        File.WriteAllText(secret, "not-used-with-the-port-file-client\n");
        var shipped = File.ReadAllText(DeployPaths.InRepository("deploy", "systemd", shippedUnitFile));
        File.WriteAllText(Path.Combine(Manager.UnitDirectory, shippedUnitFile), UserManagerUnit.Transform(shipped, UserManagerUnit.DaemonCommand(), secret));
        File.WriteAllText(Path.Combine(Manager.UnitDirectory, template ? "wg-quick@.service" : "wireguard-wg0.service"), TunnelUnitText(TunnelStartsFile));

        var env = new Dictionary<string, string>
        {
            ["NATPMP_GATEWAY"] = Gateway.LocalEndPoint.ToString(),
            ["NATPMP_BIND_ADDRESS"] = "127.0.0.1",
            ["NATPMP_REQUEST_TIMEOUT"] = "1",
            ["TORRENT_CLIENT"] = "file",
            ["PORT_FILE"] = PortFile,
            ["RENEW_INTERVAL"] = "2",
            ["MAX_FAILURES"] = "1",
            ["RECOVERY_COOLDOWN"] = "1",
            ["MAX_RECOVERIES_PER_HOUR"] = "2",
            ["DBUS_SYSTEM_BUS_ADDRESS"] = Manager.BusAddress,
            ["LOG_LEVEL"] = "debug",
        };
        foreach (var (k, v) in overrides)
        {
            env[k] = v;
        }

        var lines = string.Join('\n', env.Select(kv => $"Environment=\"{kv.Key}={kv.Value}\""));
        var dropInFor = template ? shippedUnitFile : DaemonUnit;
        Manager.WriteDropIn(dropInFor, $"""
            [Service]
            {lines}
            StandardOutput=append:{LogFile}
            StandardError=append:{LogFile}
            {extra}
            """);
    }
}
