using System.Globalization;
using ProtonPortSync.Recovery;
using Tmds.DBus.Protocol;

namespace ProtonPortSync.Doctor;

/// <summary>
/// The recovery path of <c>--recovery systemd</c>, checked the way the daemon will use it: the system bus answers,
/// systemd knows the tunnel unit (LoadUnit + LoadState), and this user may restart it. polkit decides the last one
/// only when asked for the real action, so without restarting the tunnel the clearest check is: root may, anyone
/// else needs polkitd on the bus (a minimal Debian server has none) and the shipped rule.
/// </summary>
internal static class RecoveryPathChecks
{
    public const string PolkitBusName = "org.freedesktop.PolicyKit1";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <param name="recovery">The daemon's <c>--recovery</c>: only <c>systemd</c> has a path to check.</param>
    /// <param name="wgUnit">The tunnel's unit (<c>--wg-unit</c>).</param>
    /// <param name="busAddress">The system bus; null: the usual one (or DBUS_SYSTEM_BUS_ADDRESS).</param>
    /// <param name="uid">Who asks; null: this process's user.</param>
    public static IEnumerable<IDoctorCheck> For(RecoveryKind recovery, string wgUnit, string? busAddress = null, int? uid = null)
    {
        if (recovery != RecoveryKind.Systemd)
        {
            return [];
        }

        var probe = new Lazy<Task<Probe>>(() => ProbeAsync(busAddress ?? DBusAddress.System, wgUnit));
        return
        [
            new Check("system bus", probe, p => p.BusError is { } e
                ? DoctorResult.Fail("system bus", $"cannot reach systemd on {p.Address}: {e}", "run on a host whose PID 1 is systemd, or set DBUS_SYSTEM_BUS_ADDRESS; or use --recovery command/none")
                : DoctorResult.Ok("system bus", $"systemd answers on {p.Address}")),
            new Check("tunnel unit", probe, p => p switch
            {
                { BusError: not null } => DoctorResult.Fail("tunnel unit", $"{wgUnit}: not checked, no bus", "fix the system bus first"),
                { LoadState: "loaded" } => DoctorResult.Ok("tunnel unit", $"{wgUnit} is loaded"),
                _ => DoctorResult.Fail("tunnel unit", $"{wgUnit} is {p.LoadState}", "pass the tunnel's unit name with --wg-unit (e.g. wg-quick@wg0.service), or use proton-port-sync@wg0.service"),
            }),
            new Check("restart", probe, p => Permission(p, wgUnit, uid ?? CurrentUid())),
        ];
    }

    private static DoctorResult Permission(Probe p, string unit, int? uid)
    {
        if (uid == 0)
        {
            return DoctorResult.Ok("restart", $"running as root: may restart {unit}");
        }

        if (p.BusError is not null)
        {
            return DoctorResult.Fail("restart", "not checked, no bus", "fix the system bus first");
        }

        return p.PolkitRunning
            ? DoctorResult.Warn("restart", $"uid {uid?.ToString(CultureInfo.InvariantCulture) ?? "?"} needs polkit's permission to restart {unit}; polkitd is running", "install deploy/polkit/50-proton-port-sync.rules in /etc/polkit-1/rules.d/ (it allows exactly that unit)")
            : DoctorResult.Fail("restart", $"no polkitd on the bus: uid {uid?.ToString(CultureInfo.InvariantCulture) ?? "?"} will be refused RestartUnit({unit})", "apt install polkitd (Debian) and the rule in deploy/polkit/, or run recovery as root");
    }

    private static int? CurrentUid()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var field = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            return int.TryParse(field, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<Probe> ProbeAsync(string? address, string unit)
    {
        if (string.IsNullOrEmpty(address))
        {
            return new Probe("(none)", "no system bus address", null, false);
        }

        using var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(Timeout);
            var polkit = await CallAsync(connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", PolkitBusName, static (Message m, object? _) => m.GetBodyReader().ReadBool());
            try
            {
                var path = await CallAsync(connection, SystemdUnitRestartAction.SystemdBusName, SystemdUnitRestartAction.ManagerPath, SystemdUnitRestartAction.ManagerInterface, "LoadUnit", unit, static (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString());
                var state = await GetLoadStateAsync(connection, path);
                return new Probe(address, null, state, polkit);
            }
            catch (DBusErrorReplyException ex) when (ex.ErrorName is "org.freedesktop.systemd1.NoSuchUnit" or "org.freedesktop.DBus.Error.InvalidArgs")
            {
                return new Probe(address, null, "not-found", polkit);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Probe(address, ex.Message, null, false);
        }
    }

    private static Task<T> CallAsync<T>(DBusConnection connection, string destination, string path, string @interface, string member, string argument, MessageValueReader<T> read)
    {
        MessageBuffer message;
        using (var writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(destination: destination, path: path, @interface: @interface, member: member, signature: "s");
            writer.WriteString(argument);
            message = writer.CreateMessage();
        }

        return connection.CallMethodAsync(message, read, null).WaitAsync(Timeout);
    }

    private static Task<string> GetLoadStateAsync(DBusConnection connection, string unitPath)
    {
        MessageBuffer message;
        using (var writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(destination: SystemdUnitRestartAction.SystemdBusName, path: unitPath, @interface: "org.freedesktop.DBus.Properties", member: "Get", signature: "ss");
            writer.WriteString("org.freedesktop.systemd1.Unit");
            writer.WriteString("LoadState");
            message = writer.CreateMessage();
        }

        return connection.CallMethodAsync(message, static (Message m, object? _) => m.GetBodyReader().ReadVariantValue().GetString(), null).WaitAsync(Timeout);
    }

    private sealed record Probe(string Address, string? BusError, string? LoadState, bool PolkitRunning);

    private sealed class Check(string name, Lazy<Task<Probe>> probe, Func<Probe, DoctorResult> judge) : IDoctorCheck
    {
        public string Name { get; } = name;

        public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken) => judge(await probe.Value.WaitAsync(cancellationToken));
    }
}
