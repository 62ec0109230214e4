using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Cli;

/// <summary>
/// Turns flag values (or, when a flag is absent, its environment variable, else its default) into validated
/// <see cref="DaemonOptions"/>, collecting every error so the user fixes them all in one go.
/// </summary>
internal sealed class DaemonOptionsParser
{
    private readonly Func<OptionSpec, string?> _flag;
    private readonly Func<string, string?> _environment;
    private readonly List<string> _errors = [];

    public DaemonOptionsParser(Func<OptionSpec, string?> flagValue, Func<string, string?> environment)
    {
        _flag = flagValue;
        _environment = environment;
    }

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>True when the user set this option by flag or environment variable (not by default).</summary>
    public bool WasGiven(OptionSpec spec)
    {
        Raw(spec, out var given);
        return given;
    }

    /// <summary>Parses the NAT-PMP settings and, unless <paramref name="natPmpOnly"/>, everything else.</summary>
    public DaemonOptions? Parse(bool natPmpOnly = false, bool checkFiles = true)
    {
        var gateway = ParseGateway();
        var iface = Raw(OptionSpecs.Interface, out _);
        if (iface is not null && (iface.Length is 0 or > 15 || iface.Any(c => char.IsWhiteSpace(c) || c == '/')))
        {
            Error(OptionSpecs.Interface, iface, "must be an interface name (1–15 characters, no spaces or '/'), e.g. wg0 or proton0");
        }

        var bindText = Raw(OptionSpecs.BindAddress, out var bindGiven);
        IPAddress? bind = null;
        if (iface is null || bindGiven)
        {
            bind = ParseIPv4(OptionSpecs.BindAddress, bindText);
        }

        var internalPort = ParseInt(OptionSpecs.InternalPort, 0, 65535, "a port from 0 to 65535 (0 is ProtonVPN's documented value)");
        var suggested = ParseInt(OptionSpecs.SuggestedPort, 0, 65535, "a port from 0 to 65535 (1 is ProtonVPN's documented value)");
        var lifetime = ParseInt(OptionSpecs.Lifetime, 2, 86400, "a whole number of seconds from 2 to 86400");
        var requestTimeout = ParseInt(OptionSpecs.RequestTimeout, 1, 120, "a whole number of seconds from 1 to 120");
        var level = ParseLogLevel();

        var options = new DaemonOptions
        {
            Gateway = gateway ?? new IPEndPoint(IPAddress.None, DaemonOptions.NatPmpPort),
            BindAddress = bind,
            Interface = iface,
            InternalPort = (ushort)internalPort,
            SuggestedPort = (ushort)suggested,
            Lifetime = TimeSpan.FromSeconds(lifetime),
            RequestTimeout = TimeSpan.FromSeconds(requestTimeout),
            QbtUrl = new Uri("http://127.0.0.1:8080"),
            LogLevel = level,
        };

        if (!natPmpOnly)
        {
            options = ParseDaemon(options, lifetime, requestTimeout, checkFiles);
        }

        return _errors.Count == 0 ? options : null;
    }

    private DaemonOptions ParseDaemon(DaemonOptions options, int lifetime, int requestTimeout, bool checkFiles)
    {
        var renew = ParseInt(OptionSpecs.RenewInterval, 1, Math.Max(1, lifetime - 1), $"a whole number of seconds from 1 to {Math.Max(1, lifetime - 1)} (below --lifetime {lifetime})");
        if (requestTimeout >= lifetime)
        {
            Error(OptionSpecs.RequestTimeout, requestTimeout.ToString(CultureInfo.InvariantCulture), $"must be below --lifetime {lifetime}, or the lease lapses while a renewal is still trying");
        }

        var maxFailures = ParseInt(OptionSpecs.MaxFailures, 1, 100, "a whole number from 1 to 100");
        var client = ParseChoice(OptionSpecs.Client, ["qbittorrent", "transmission", "deluge", "file"]) switch
        {
            "transmission" => TorrentClientKind.Transmission,
            "deluge" => TorrentClientKind.Deluge,
            "file" => TorrentClientKind.File,
            _ => TorrentClientKind.QBittorrent,
        };
        var qbtUrl = ParseUrl(OptionSpecs.QbtUrl, "the WebUI", "http://127.0.0.1:8080");
        var qbtUser = Raw(OptionSpecs.QbtUser, out _) ?? "admin";
        if (qbtUser.Length == 0 || qbtUser.Any(char.IsControl))
        {
            Error(OptionSpecs.QbtUser, qbtUser, "must be a non-empty user name");
        }

        var password = ParseFile(OptionSpecs.QbtPasswordFile, checkFiles && client == TorrentClientKind.QBittorrent);
        var apiKey = ParseFile(OptionSpecs.QbtApiKeyFile, checkFiles && client == TorrentClientKind.QBittorrent);
        if (password is not null && apiKey is not null)
        {
            _errors.Add("--qbt-password-file and --qbt-api-key-file were both given: use one (the API key needs qBittorrent 5.2 or later).");
        }

        var transmissionUrl = ParseUrl(OptionSpecs.TransmissionUrl, "Transmission's RPC endpoint", "http://127.0.0.1:9091/transmission/rpc");
        var transmissionUser = Raw(OptionSpecs.TransmissionUser, out _);
        if (transmissionUser is not null && (transmissionUser.Contains(':', StringComparison.Ordinal) || transmissionUser.Any(char.IsControl)))
        {
            Error(OptionSpecs.TransmissionUser, transmissionUser, "must be Transmission's rpc-username, without ':' or control characters");
        }

        var transmissionPassword = ParseFile(OptionSpecs.TransmissionPasswordFile, checkFiles && client == TorrentClientKind.Transmission);
        var delugeUrl = ParseUrl(OptionSpecs.DelugeUrl, "deluge-web's JSON-RPC endpoint", "http://127.0.0.1:8112/json");
        var delugePassword = ParseFile(OptionSpecs.DelugePasswordFile, checkFiles && client == TorrentClientKind.Deluge);
        if (client == TorrentClientKind.Deluge && delugePassword is null)
        {
            _errors.Add("--client deluge needs --deluge-password-file (DELUGE_PASSWORD_FILE): the file that holds the deluge-web password.");
        }

        var portFile = Raw(OptionSpecs.PortFile, out _);
        if (client == TorrentClientKind.File && string.IsNullOrWhiteSpace(portFile))
        {
            _errors.Add("--client file needs --port-file (PORT_FILE): the file that receives the port.");
        }

        var recovery = ParseChoice(OptionSpecs.Recovery, ["systemd", "command", "none"]) switch
        {
            "command" => RecoveryKind.Command,
            "none" => RecoveryKind.None,
            _ => RecoveryKind.Systemd,
        };
        var wgUnit = Raw(OptionSpecs.WgUnit, out _) ?? "wireguard-wg0.service";
        if (wgUnit.Length == 0 || wgUnit.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            Error(OptionSpecs.WgUnit, wgUnit, "must be a systemd unit name such as wireguard-wg0.service or wg-quick@wg0.service");
        }

        var command = Raw(OptionSpecs.RecoveryCommand, out _);
        if (recovery == RecoveryKind.Command && string.IsNullOrWhiteSpace(command))
        {
            _errors.Add("--recovery command needs --recovery-command (RECOVERY_COMMAND): the shell command that reconnects the tunnel.");
        }

        var cooldown = ParseInt(OptionSpecs.RecoveryCooldown, 0, 3600, "a whole number of seconds from 0 to 3600");
        var maxRecoveries = ParseInt(OptionSpecs.MaxRecoveriesPerHour, 0, 60, "a whole number from 0 (never) to 60");
        var recoveryTimeout = ParseInt(OptionSpecs.RecoveryTimeout, 1, 600, "a whole number of seconds from 1 to 600");
        var stateDirectory = ParseStateDirectory(Raw(OptionSpecs.StateDirectory, out _));
        var metrics = ParseMetricsAddress();

        return options with
        {
            RenewInterval = TimeSpan.FromSeconds(renew),
            MaxFailures = maxFailures,
            Client = client,
            QbtUrl = qbtUrl ?? options.QbtUrl,
            QbtUser = qbtUser,
            QbtPasswordFile = password,
            QbtApiKeyFile = apiKey,
            QbtReannounce = ParseBool(OptionSpecs.QbtReannounce),
            TransmissionUrl = transmissionUrl ?? options.TransmissionUrl,
            TransmissionUser = transmissionUser,
            TransmissionPasswordFile = transmissionPassword,
            DelugeUrl = delugeUrl ?? options.DelugeUrl,
            DelugePasswordFile = delugePassword,
            PortFile = portFile,
            Recovery = recovery,
            WgUnit = wgUnit,
            RecoveryCommand = command,
            RecoveryCooldown = TimeSpan.FromSeconds(cooldown),
            MaxRecoveriesPerHour = maxRecoveries,
            RecoveryTimeout = TimeSpan.FromSeconds(recoveryTimeout),
            StateDirectory = stateDirectory,
            MetricsAddress = metrics,
        };
    }

    /// <summary>systemd joins several StateDirectory= paths with ':'; the first is ours.</summary>
    private string? ParseStateDirectory(string? value)
    {
        var first = value?.Split(':')[0];
        if (first is { Length: > 0 } && !Path.IsPathFullyQualified(first))
        {
            Error(OptionSpecs.StateDirectory, first, "must be an absolute directory path, such as /var/lib/proton-port-sync");
        }

        return string.IsNullOrEmpty(first) ? null : first;
    }

    private string? Raw(OptionSpec spec, out bool given)
    {
        var value = _flag(spec);
        if (value is null)
        {
            value = _environment(spec.EnvironmentVariable);
            if (string.IsNullOrEmpty(value))
            {
                value = null;
            }
        }

        given = value is not null;
        return value ?? spec.DefaultValue;
    }

    private string Source(OptionSpec spec, string value)
        => _flag(spec) is not null ? $"{spec.Name} '{value}'" : !string.IsNullOrEmpty(_environment(spec.EnvironmentVariable)) ? $"{spec.EnvironmentVariable}='{value}'" : $"{spec.Name} default '{value}'";

    private void Error(OptionSpec spec, string value, string what) => _errors.Add($"{Source(spec, value)}: {what}.");

    private IPEndPoint? ParseGateway()
    {
        var text = Raw(OptionSpecs.Gateway, out _) ?? string.Empty;
        if (IPEndPoint.TryParse(text, out var ep) && ep.AddressFamily == AddressFamily.InterNetwork && !text.Contains('[', StringComparison.Ordinal))
        {
            if (ep.Port == 0)
            {
                ep.Port = DaemonOptions.NatPmpPort;
            }

            return ep;
        }

        Error(OptionSpecs.Gateway, text, "must be an IPv4 address, optionally with :port (NAT-PMP is IPv4 only), e.g. 10.2.0.1");
        return null;
    }

    private IPAddress? ParseIPv4(OptionSpec spec, string? text)
    {
        if (text is not null && IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
        {
            return a;
        }

        Error(spec, text ?? string.Empty, "must be an IPv4 address such as 10.2.0.2 (the tunnel's address)");
        return null;
    }

    private int ParseInt(OptionSpec spec, int min, int max, string what)
    {
        var text = Raw(spec, out _) ?? string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            return v;
        }

        Error(spec, text, $"must be {what}");
        return Math.Clamp(int.TryParse(spec.DefaultValue, CultureInfo.InvariantCulture, out var d) ? d : min, min, max);
    }

    private string ParseChoice(OptionSpec spec, string[] choices)
    {
        var text = (Raw(spec, out _) ?? string.Empty).Trim();
        var match = choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(spec, text, $"must be one of {string.Join(", ", choices)}");
            return spec.DefaultValue ?? choices[0];
        }

        return match;
    }

    private bool ParseBool(OptionSpec spec)
    {
        var text = (Raw(spec, out _) ?? "false").Trim().ToUpperInvariant();
        switch (text)
        {
            case "TRUE" or "1" or "YES" or "ON":
                return true;
            case "FALSE" or "0" or "NO" or "OFF" or "":
                return false;
            default:
                Error(spec, text, "must be true or false");
                return false;
        }
    }

    private Uri? ParseUrl(OptionSpec spec, string what, string example)
    {
        var text = Raw(spec, out _) ?? string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query))
        {
            return uri;
        }

        Error(spec, text, $"must be an http:// or https:// URL of {what} without credentials or query, e.g. {example}");
        return null;
    }

    private string? ParseFile(OptionSpec spec, bool mustExist)
    {
        var path = Raw(spec, out _);
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            Error(spec, path, "must be a file path");
            return null;
        }

        if (mustExist && TorrentClients.SecretFile.Problem(path, "secret file") is { } problem)
        {
            Error(spec, path, problem.TrimEnd('.'));
        }

        return path;
    }

    private IPEndPoint? ParseMetricsAddress()
    {
        var text = Raw(OptionSpecs.MetricsAddr, out _);
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

        Error(OptionSpecs.MetricsAddr, text, "must be HOST:PORT with an IP address (or localhost), e.g. 127.0.0.1:9834 or [::1]:9834");
        return null;
    }

    private LogLevel ParseLogLevel() => ParseChoice(OptionSpecs.LogLevel, ["trace", "debug", "information", "info", "warning", "error"]) switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
