using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// qBittorrent 4.1 – 5.2 through its WebUI API v2. Logs in with a password file (session cookie, whatever its name)
/// or sends a 5.2 API key; logs in again once when a session expires; never retries a refused password in a loop;
/// validates every port it sends and reads every port back. Calls are serialised: one request at a time.
/// </summary>
internal sealed partial class QBittorrentClient : ITorrentClient, IDisposable
{
    public const string ClientName = "qbittorrent";
    public const int MinListenPort = 1024;
    public const int MaxListenPort = 65535;

    private readonly QBittorrentOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<QBittorrentClient> _logger;
    private readonly HttpClient _http;
    private readonly Uri _apiBase;
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly LoginGate _loginGate;
    private readonly SecretFile? _passwordFile;
    private readonly SecretFile? _apiKeyFile;

    /// <param name="handler">
    /// The HTTP stack; the client takes ownership and disposes it. It should not manage cookies itself
    /// (<c>SocketsHttpHandler.UseCookies = false</c>): the client keeps the session cookie. Null: a default handler.
    /// </param>
    public QBittorrentClient(QBittorrentOptions options, TimeProvider timeProvider, ILogger<QBittorrentClient> logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _loginGate = new LoginGate(timeProvider);
        _passwordFile = options.PasswordFile is { } p ? new SecretFile(p, "qBittorrent password file") : null;
        _apiKeyFile = options.ApiKeyFile is { } k ? new SecretFile(k, "qBittorrent API key file") : null;

        var root = options.BaseUrl.AbsoluteUri;
        _apiBase = new Uri(root.EndsWith('/') ? root + "api/v2/" : root + "/api/v2/");
        handler ??= new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name => ClientName;

    public async Task<int> GetListenPortAsync(CancellationToken cancellationToken)
        => (await GetPreferencesAsync(cancellationToken)).ListenPort;

    /// <summary>Reads the preferences the doctor and the sync loop care about: listen_port, upnp, random_port.</summary>
    public async Task<QBittorrentPreferencesSnapshot> GetPreferencesAsync(CancellationToken cancellationToken)
    {
        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await GetPreferencesCoreAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await SetListenPortCoreAsync(port, cancellationToken);
            await ReannounceIfWantedAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task RebindAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        // qBittorrent ignores a set to the port it already has, so move away and back to make it bind again.
        var temporary = port < MaxListenPort ? port + 1 : port - 1;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            Log.Rebinding(_logger, port, temporary);
            await SetListenPortCoreAsync(temporary, cancellationToken);
            await SetListenPortCoreAsync(port, cancellationToken);
            await ReannounceIfWantedAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _serial.Dispose();
    }

    private static void ValidatePort(int port)
    {
        if (port is < MinListenPort or > MaxListenPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"A qBittorrent listen port must be {MinListenPort}–{MaxListenPort}; {port} was refused before sending.");
        }
    }

    private async Task<QBittorrentPreferencesSnapshot> GetPreferencesCoreAsync(CancellationToken cancellationToken)
    {
        const string endpoint = "app/preferences";
        using var response = await SendAuthorizedAsync(endpoint, () => new HttpRequestMessage(HttpMethod.Get, Api(endpoint)), cancellationToken);
        QBittorrentPreferencesDto? dto;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            dto = await JsonSerializer.DeserializeAsync(body, QBittorrentJsonContext.Default.QBittorrentPreferencesDto, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} is not the expected JSON object ({e.Message}); is the URL pointing at qBittorrent?", e);
        }

        if (dto is null)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} answered JSON null instead of an object.");
        }

        if (dto.ListenPort is not { } listenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} has no listen_port field.");
        }

        if (listenPort is < 0 or > MaxListenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} has listen_port {listenPort}, outside 0–65535.");
        }

        return new QBittorrentPreferencesSnapshot(listenPort, dto.Upnp, dto.RandomPort);
    }

    private async Task SetListenPortCoreAsync(int port, CancellationToken cancellationToken)
    {
        const string endpoint = "app/setPreferences";
        var previous = await GetPreferencesCoreAsync(cancellationToken);
        // Turn off qBittorrent's own UPnP/NAT-PMP and random port: either would move the port away from the mapping.
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"listen_port\":{port},\"upnp\":false,\"random_port\":false}}");
        using (await SendAuthorizedAsync(endpoint, () => Form(endpoint, [new("json", json)]), cancellationToken))
        {
            // qBittorrent answers 200/204 whatever it did with the values; only the read-back below tells.
        }

        var after = await GetPreferencesCoreAsync(cancellationToken);
        if (after.ListenPort != port)
        {
            throw Failure(
                TorrentClientFailure.ReadBackMismatch,
                $"qBittorrent reports listen_port {after.ListenPort} after being asked for {port}; something else (a script, its own settings) may be changing it.");
        }

        Log.ListenPortSet(_logger, port, previous.ListenPort);
    }

    private async Task ReannounceIfWantedAsync(CancellationToken cancellationToken)
    {
        if (!_options.Reannounce)
        {
            return;
        }

        const string endpoint = "torrents/reannounce";
        try
        {
            using (await SendAuthorizedAsync(endpoint, () => Form(endpoint, [new("hashes", "all")]), cancellationToken))
            {
                Log.Reannounced(_logger);
            }
        }
        catch (TorrentClientException e)
        {
            Log.ReannounceFailed(_logger, e.Failure, e.Message);
        }
    }

    private Uri Api(string endpoint) => new(_apiBase, endpoint);

    private HttpRequestMessage Form(string endpoint, IEnumerable<KeyValuePair<string, string>> fields)
        => new(HttpMethod.Post, Api(endpoint)) { Content = new FormUrlEncodedContent(fields) };

    private static TorrentClientException Failure(TorrentClientFailure failure, string message, Exception? inner = null, DateTimeOffset? retryNotBefore = null)
        => new(ClientName, failure, message, retryNotBefore, inner);
}
