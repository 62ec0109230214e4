using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;
using ProtonPortSync.Recovery;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Hosting;

/// <summary>
/// Turns flag values (or, when a flag is absent, its environment variable, else its default) into validated
/// <see cref="DaemonOptions"/>, collecting every error so the user fixes them all in one go. The selected client's
/// flags are read by its module; the rules of a client's options live only in the options class.
/// </summary>
internal sealed partial class DaemonOptionsParser
{
    private readonly OptionReader _reader;

    public DaemonOptionsParser(Func<OptionSpec, IReadOnlyList<string>?> flagValues, Func<string, string?> environment)
        => _reader = new OptionReader(flagValues, environment);

    public IReadOnlyList<string> Errors => _reader.Errors;

    /// <summary>The reader behind it, for a command's own flags (demo's), so their errors are reported with the rest.</summary>
    public OptionReader Reader => _reader;

    /// <summary>True when the user set this option by flag or environment variable (not by default).</summary>
    public bool WasGiven(OptionSpec spec) => _reader.WasGiven(spec);

    /// <summary>Parses the NAT-PMP settings and, unless <paramref name="natPmpOnly"/>, everything else.</summary>
    public DaemonOptions? Parse(bool natPmpOnly = false)
    {
        var gateway = ParseGateway();
        var iface = _reader.Raw(OptionSpecs.Interface, out _);
        if (iface is not null && (iface.Length is 0 or > 15 || iface.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/')))
        {
            _reader.Error(OptionSpecs.Interface, iface, "must be an interface name (1–15 characters, no spaces or '/'), e.g. wg0 or proton0");
        }

        var bindText = _reader.Raw(OptionSpecs.BindAddress, out var bindGiven);
        IPAddress? bind = null;
        if (iface is null || bindGiven)
        {
            bind = _reader.IPv4(OptionSpecs.BindAddress, bindText);
        }

        var internalPort = _reader.Int(OptionSpecs.InternalPort, 0, 65535, "a port from 0 to 65535 (0 is ProtonVPN's documented value)");
        var suggested = _reader.Int(OptionSpecs.SuggestedPort, 0, 65535, "a port from 0 to 65535 (1 is ProtonVPN's documented value)");
        var lifetime = _reader.Int(OptionSpecs.Lifetime, 2, 86400, "a whole number of seconds from 2 to 86400");
        var requestTimeout = _reader.Int(OptionSpecs.RequestTimeout, 1, 120, "a whole number of seconds from 1 to 120");

        var options = new DaemonOptions
        {
            Gateway = gateway ?? DaemonOptions.DefaultGateway,
            BindAddress = bind,
            Interface = iface,
            InternalPort = (ushort)internalPort,
            SuggestedPort = (ushort)suggested,
            Lifetime = TimeSpan.FromSeconds(lifetime),
            RequestTimeout = TimeSpan.FromSeconds(requestTimeout),
            LogLevel = ParseLogLevel(),
        };

        if (!natPmpOnly)
        {
            options = ParseDaemon(options, lifetime, requestTimeout);
        }

        return _reader.Errors.Count == 0 ? options : null;
    }

    private DaemonOptions ParseDaemon(DaemonOptions options, int lifetime, int requestTimeout)
    {
        var renewMax = Math.Max(1, lifetime - 1);
        var renew = _reader.Int(OptionSpecs.RenewInterval, 1, renewMax, $"a whole number of seconds from 1 to {renewMax} (below --lifetime {lifetime})");
        if (requestTimeout >= lifetime)
        {
            _reader.Error(OptionSpecs.RequestTimeout, requestTimeout.ToString(CultureInfo.InvariantCulture), $"must be below --lifetime {lifetime}, or the lease lapses while a renewal is still trying");
        }

        var maxFailures = _reader.Int(OptionSpecs.MaxFailures, 1, 100, "a whole number from 1 to 100");
        var (client, portFiles) = ParseSinks();
        var recovery = _reader.Choice(OptionSpecs.Recovery, ["systemd", "command", "none"]) switch
        {
            "command" => RecoveryKind.Command,
            "none" => RecoveryKind.None,
            _ => RecoveryKind.Systemd,
        };
        var wgUnit = _reader.Raw(OptionSpecs.WgUnit, out _) ?? DaemonOptions.DefaultWgUnit;
        if (wgUnit.Length == 0 || wgUnit.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            _reader.Error(OptionSpecs.WgUnit, wgUnit, "must be a systemd unit name such as wireguard-wg0.service or wg-quick@wg0.service");
        }

        var command = _reader.Raw(OptionSpecs.RecoveryCommand, out _);
        if (recovery == RecoveryKind.Command && string.IsNullOrWhiteSpace(command))
        {
            _reader.Error("--recovery command needs --recovery-command (RECOVERY_COMMAND): the shell command that reconnects the tunnel.");
        }

        return options with
        {
            RenewInterval = TimeSpan.FromSeconds(renew),
            MaxFailures = maxFailures,
            Client = client,
            PortFiles = portFiles,
            OnChangeCommands = ParseCommands(),
            HookTimeout = TimeSpan.FromSeconds(_reader.Int(OptionSpecs.HookTimeout, 1, 3600, "a whole number of seconds from 1 to 3600")),
            Recovery = recovery,
            WgUnit = wgUnit,
            WireGuardConfig = ParseWireGuardConfig(),
            RecoveryCommand = command,
            RecoveryCooldown = TimeSpan.FromSeconds(_reader.Int(OptionSpecs.RecoveryCooldown, 0, 3600, "a whole number of seconds from 0 to 3600")),
            MaxRecoveriesPerHour = _reader.Int(OptionSpecs.MaxRecoveriesPerHour, 0, 60, "a whole number from 0 (never) to 60"),
            RecoveryTimeout = TimeSpan.FromSeconds(_reader.Int(OptionSpecs.RecoveryTimeout, 1, 600, "a whole number of seconds from 1 to 600")),
            StateDirectory = ParseStateDirectory(_reader.Raw(OptionSpecs.StateDirectory, out _)),
            MetricsAddress = ParseMetricsAddress(),
        };
    }

    /// <summary>
    /// Only the path's form is checked here: <c>run</c> never reads the file (it may be root's alone), and doctor's
    /// check reads it and says what is wrong with it.
    /// </summary>
    private string? ParseWireGuardConfig()
    {
        var path = _reader.Raw(OptionSpecs.WgConfig, out _);
        if (path is not null && (path.Length == 0 || path.EndsWith('/') || path.Any(char.IsControl)))
        {
            _reader.Error(OptionSpecs.WgConfig, path, "must be the path of the tunnel's wg-quick configuration file, e.g. /etc/wireguard/wg0.conf");
            return null;
        }

        return path;
    }

    /// <summary>systemd joins several StateDirectory= paths with ':'; the first is ours.</summary>
    private string? ParseStateDirectory(string? value)
    {
        var first = value?.Split(':')[0];
        if (first is { Length: > 0 } && (!Path.IsPathFullyQualified(first) || first.Any(char.IsControl)))
        {
            _reader.Error(OptionSpecs.StateDirectory, first, "must be an absolute directory path, such as /var/lib/proton-port-sync");
        }

        return string.IsNullOrEmpty(first) ? null : first;
    }

    private IPEndPoint? ParseGateway()
    {
        var text = _reader.Raw(OptionSpecs.Gateway, out _) ?? string.Empty;
        if (IPEndPoint.TryParse(text, out var ep) && ep.AddressFamily == AddressFamily.InterNetwork && !text.Contains('[', StringComparison.Ordinal))
        {
            if (ep.Port == 0)
            {
                ep.Port = DaemonOptions.NatPmpPort;
            }

            return ep;
        }

        _reader.Error(OptionSpecs.Gateway, text, "must be an IPv4 address, optionally with :port (NAT-PMP is IPv4 only), e.g. 10.2.0.1");
        return null;
    }

    private IPEndPoint? ParseMetricsAddress()
    {
        var text = _reader.Raw(OptionSpecs.MetricsAddr, out _);
        if (text is null)
        {
            return null;
        }

        var candidate = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1:" + text["localhost:".Length..] : text;
        if (IPEndPoint.TryParse(candidate, out var ep) && ep.Port is > 0 and <= 65535 && candidate.Contains(':', StringComparison.Ordinal)
            && (ep.AddressFamily == AddressFamily.InterNetwork ? !candidate.StartsWith('[') && candidate.LastIndexOf(':') > 0 : candidate.StartsWith('[')))
        {
            return ep;
        }

        _reader.Error(OptionSpecs.MetricsAddr, text, "must be HOST:PORT with an IP address (or localhost), e.g. 127.0.0.1:9834 or [::1]:9834");
        return null;
    }

    private LogLevel ParseLogLevel() => _reader.Choice(OptionSpecs.LogLevel, ["trace", "debug", "information", "info", "warning", "error"]) switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
