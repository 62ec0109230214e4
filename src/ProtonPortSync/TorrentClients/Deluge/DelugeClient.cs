using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>
/// Deluge 2.x through deluge-web's JSON-RPC (<c>POST /json</c>): <c>auth.login</c> with a password file (session
/// cookie <c>_session_id</c>), one login again on "Not authenticated", <c>web.connect</c> to deluged whenever the Web UI
/// is not connected (it does not reconnect by itself after deluged restarts), <c>core.set_config</c> of
/// <c>listen_ports [p, p]</c> with Deluge's own UPnP/NAT-PMP and random port off, and a read-back of both the setting
/// and the port actually bound (<c>core.get_listen_port</c>): Deluge accepts 70000 silently and then listens on
/// nothing. A refused password is not sent again until a long backoff ends or the file changes.
/// Calls are serialised: one request at a time.
/// </summary>
internal sealed partial class DelugeClient : HttpTorrentClient
{
    public const string ClientName = "deluge";

    private readonly DelugeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SecretFile _passwordFile;

    /// <param name="handler">The HTTP stack; the client takes ownership and disposes it. Null: a default handler.</param>
    public DelugeClient(DelugeOptions options, TimeProvider timeProvider, ILogger logger, HttpMessageHandler? handler = null)
        : base(ClientName, "Deluge", "Deluge listen port", " (Deluge would accept it and listen on nothing)", options, timeProvider, handler)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _passwordFile = new SecretFile(options.PasswordFile, "Deluge password file");
    }

    /// <summary>The port deluged has actually bound (<c>core.get_listen_port</c>); 0 when it listens on nothing.</summary>
    protected override Task<int> ReadListenPortCoreAsync(CancellationToken cancellationToken) => GetBoundPortAsync(cancellationToken);

    /// <summary>deluge-web does not reconnect to deluged by itself after either restarts.</summary>
    protected override Task BeforeCallAsync(CancellationToken cancellationToken) => EnsureConnectedAsync(cancellationToken);

    protected override void LogRebinding(int port, int temporaryPort) => Log.Rebinding(_logger, port, temporaryPort);

    protected override void LogAnswered(string what, int status) => Log.Answered(_logger, what, status);

    protected override void LogSecretChanged(SecretFile file) => Log.SecretChanged(_logger, file.Description);

    protected override Uri Endpoint => _options.Url;

    protected override void LogCleartextSecret(SecretFile file, Uri url) => Log.CleartextSecret(_logger, file.Description, url);

    private async Task<int> GetBoundPortAsync(CancellationToken cancellationToken)
    {
        const string method = "core.get_listen_port";
        var result = await CallAsync(method, [], cancellationToken);
        if (result.ValueKind != JsonValueKind.Number || !result.TryGetInt32(out var port) || port is < 0 or > MaxListenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web's {method} answered {Describe(result)} instead of a port number 0–65535.");
        }

        return port;
    }

    /// <summary>The configured <c>listen_ports</c> range; null when it is not a two-number array.</summary>
    private async Task<(int From, int To)?> GetConfiguredRangeAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync("core.get_config_value", [Param("listen_ports")], cancellationToken);
        if (result.ValueKind == JsonValueKind.Array && result.GetArrayLength() == 2
            && result[0].ValueKind == JsonValueKind.Number && result[0].TryGetInt32(out var from)
            && result[1].ValueKind == JsonValueKind.Number && result[1].TryGetInt32(out var to))
        {
            return (from, to);
        }

        return null;
    }

    protected override async Task WriteListenPortCoreAsync(int port, CancellationToken cancellationToken)
    {
        var previous = await GetBoundPortAsync(cancellationToken);
        // Turn off Deluge's own UPnP/NAT-PMP and random port: either would move the port away from the mapping.
        var config = new DelugeListenConfig { ListenPorts = [port, port], RandomPort = false, Upnp = false, NatPmp = false };
        await CallAsync("core.set_config", [JsonSerializer.SerializeToElement(config, DelugeJsonContext.Default.DelugeListenConfig)], cancellationToken);

        var range = await GetConfiguredRangeAsync(cancellationToken);
        if (range != (port, port))
        {
            var shown = range is { } r ? $"[{r.From}, {r.To}]" : "something that is not a two-port range";
            throw Failure(TorrentClientFailure.ReadBackMismatch, $"Deluge reports listen_ports {shown} after being asked for [{port}, {port}]; something else (a plugin, another tool) may be changing it.");
        }

        var bound = await GetBoundPortAsync(cancellationToken);
        if (bound != port)
        {
            throw Failure(TorrentClientFailure.ReadBackMismatch, $"Deluge is configured for port {port} but listens on {(bound == 0 ? "nothing" : bound)}; the port may be taken by another program or listen_interface may be wrong.");
        }

        Log.ListenPortSet(_logger, port, previous);
    }

    private static JsonElement Param(string value) => JsonSerializer.SerializeToElement(value, DelugeJsonContext.Default.String);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "no result",
        JsonValueKind.Object or JsonValueKind.Array => $"a JSON {value.ValueKind.ToString().ToLowerInvariant()}",
        _ => PeerText.Clean(value.GetRawText()),
    };

    private static TorrentClientException Failure(TorrentClientFailure failure, string message, Exception? inner = null, DateTimeOffset? retryNotBefore = null)
        => new(ClientName, failure, message, retryNotBefore, inner);
}
