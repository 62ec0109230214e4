using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>Which qBittorrent WebUI behaviour the fake emulates.</summary>
public enum QBittorrentFakeVersion
{
    /// <summary>4.1 – 5.1, as measured on qbittorrent-nox 4.5.2: login 200 "Ok."/"Fails.", cookie SID.</summary>
    V4,

    /// <summary>5.2 as documented: login 204 / 401, cookie QBT_SID_&lt;port&gt;, API key as Authorization: Bearer.</summary>
    V5_2,
}

/// <summary>One request the fake received, with the headers tests assert on.</summary>
internal sealed record QBittorrentFakeRequest(string Method, string Path, string? Referer, string? Origin, string? Authorization, string? Cookie, string Body);

/// <summary>
/// An in-memory qBittorrent WebUI (an <see cref="HttpMessageHandler"/>): sessions, ban after 5 failed logins for an
/// hour (on the given clock), 403 without a session, 401 on a foreign Referer/Origin, setPreferences answering
/// 200 to anything, and scripted faults through <see cref="Intercept"/>.
/// </summary>
internal sealed class QBittorrentFake(QBittorrentFakeVersion version, TimeProvider timeProvider, int webUiPort = 8080) : HttpMessageHandler
{
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan BanDuration = TimeSpan.FromHours(1);

    private readonly HashSet<string> _sessions = [];
    private DateTimeOffset _bannedUntil = DateTimeOffset.MinValue;
    private int _failedLogins;

    public string Username { get; set; } = "admin";

    public string Password { get; set; } = "adminadmin";

    /// <summary>The 5.2 API key accepted as <c>Authorization: Bearer</c>; null = none configured.</summary>
    public string? ApiKey { get; set; }

    /// <summary>"Bypass authentication for clients on localhost": every endpoint answers without a session.</summary>
    public bool BypassAuthentication { get; set; }

    /// <summary>WebUI\SessionCookieName (4.6+); null = the version's default.</summary>
    public string? CookieName { get; set; }

    public int ListenPort { get; set; } = 6881;

    public bool Upnp { get; set; } = true;

    public bool RandomPort { get; set; } = true;

    /// <summary>announce_port (5.1+): the port told to trackers when non-zero; null = the field is absent (before 5.1).</summary>
    public int? AnnouncePort { get; set; }

    /// <summary>
    /// The port qBittorrent "picks at random" when a setPreferences carries random_port true: like qBittorrent's WebAPI,
    /// random_port true then wins over a listen_port in the same call, which is ignored.
    /// </summary>
    public int RandomlyPickedPort { get; set; } = 51413;

    /// <summary>When true, setPreferences answers 200 but keeps listen_port (another tool fighting us).</summary>
    public bool IgnoreListenPortWrites { get; set; }

    /// <summary>The body of GET transfer/info, as qBittorrent sends it (raw JSON, so tests can make it hostile).</summary>
    public string TransferInfoJson { get; set; } = """{"connection_status":"connected","dht_nodes":0,"dl_info_data":0,"up_info_data":0}""";

    /// <summary>current_network_interface: the interface the session is bound to; "" = every interface; null = the field is absent.</summary>
    public string? NetworkInterface { get; set; }

    /// <summary>When true, setPreferences keeps announce_port (a 5.1 that refused the reset).</summary>
    public bool IgnoreAnnouncePortWrites { get; set; }

    /// <summary>Runs first on every request: return a response or throw to script a fault; null = behave normally.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    public List<QBittorrentFakeRequest> Requests { get; } = [];

    public int LoginAttempts => Requests.Count(r => r.Path.EndsWith("/auth/login", StringComparison.Ordinal));

    public int SetPreferencesCount => Requests.Count(r => r.Path.EndsWith("/app/setPreferences", StringComparison.Ordinal));

    public List<int> ListenPortHistory { get; } = [];

    public int ReannounceCount { get; private set; }

    public string SessionCookieName => CookieName ?? (version == QBittorrentFakeVersion.V5_2 ? $"QBT_SID_{webUiPort}" : "SID");

    /// <summary>Forgets every session, as a restart or WebUI\SessionTimeout does.</summary>
    public void ExpireSessions() => _sessions.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        Requests.Add(new QBittorrentFakeRequest(
            request.Method.Method,
            path,
            request.Headers.Referrer?.ToString(),
            Header(request, "Origin"),
            request.Headers.Authorization?.ToString(),
            Header(request, "Cookie"),
            body));

        if (Intercept?.Invoke(request) is { } scripted)
        {
            return scripted;
        }

        if (request.Headers.Referrer is not null || Header(request, "Origin") is not null)
        {
            // qBittorrent's CSRF check: a Referer/Origin that does not match Host gives 401 (the test's host never does).
            return Text(HttpStatusCode.Unauthorized, "Unauthorized");
        }

        var endpoint = path[(path.IndexOf("/api/v2/", StringComparison.Ordinal) + "/api/v2/".Length)..];
        if (endpoint == "auth/login")
        {
            return Login(request, body);
        }

        if (!IsAuthorized(request, out var refusal))
        {
            return refusal;
        }

        return (request.Method.Method, endpoint) switch
        {
            ("GET", "app/preferences") => Json(Preferences()),
            ("POST", "app/setPreferences") => SetPreferences(body),
            ("POST", "torrents/reannounce") => Reannounce(),
            ("GET", "transfer/info") => Json(TransferInfoJson),
            ("GET", "app/version") => Text(HttpStatusCode.OK, version == QBittorrentFakeVersion.V5_2 ? "v5.2.0" : "v4.5.2"),
            (_, "app/setPreferences" or "torrents/reannounce") => Text(HttpStatusCode.MethodNotAllowed, "Method Not Allowed"),
            _ => Text(HttpStatusCode.NotFound, "Not Found"),
        };
    }

    private HttpResponseMessage Login(HttpRequestMessage request, string body)
    {
        if (version == QBittorrentFakeVersion.V5_2 && request.Method != HttpMethod.Post)
        {
            return Text(HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
        }

        if (timeProvider.GetUtcNow() < _bannedUntil)
        {
            return Text(HttpStatusCode.Forbidden, "Your IP address has been banned after too many failed authentication attempts.");
        }

        var form = ParseForm(body);
        var ok = BypassAuthentication
            || (form.GetValueOrDefault("username") == Username && form.GetValueOrDefault("password") == Password);
        if (!ok)
        {
            if (++_failedLogins >= MaxFailedLogins)
            {
                _bannedUntil = timeProvider.GetUtcNow() + BanDuration;
                _failedLogins = 0;
            }

            return version == QBittorrentFakeVersion.V5_2 ? Text(HttpStatusCode.Unauthorized, "Unauthorized") : Text(HttpStatusCode.OK, "Fails.");
        }

        _failedLogins = 0;
        var sid = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _sessions.Add(sid);
        var response = version == QBittorrentFakeVersion.V5_2 ? new HttpResponseMessage(HttpStatusCode.NoContent) : Text(HttpStatusCode.OK, "Ok.");
        response.Headers.Add("Set-Cookie", $"{SessionCookieName}={sid}; HttpOnly; SameSite=Strict; path=/");
        return response;
    }

    private bool IsAuthorized(HttpRequestMessage request, out HttpResponseMessage refusal)
    {
        refusal = null!;
        if (BypassAuthentication)
        {
            return true;
        }

        if (request.Headers.Authorization is { Scheme: "Bearer" } bearer && version == QBittorrentFakeVersion.V5_2)
        {
            if (ApiKey is not null && bearer.Parameter == ApiKey)
            {
                return true;
            }

            refusal = Text(HttpStatusCode.Unauthorized, "Unauthorized");
            return false;
        }

        var prefix = SessionCookieName + "=";
        var cookie = Header(request, "Cookie") ?? string.Empty;
        var sid = cookie.Split(';', StringSplitOptions.TrimEntries).FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        if (sid is not null && _sessions.Contains(sid))
        {
            return true;
        }

        refusal = Text(HttpStatusCode.Forbidden, "Forbidden");
        return false;
    }

    private string Preferences() => string.Create(
        CultureInfo.InvariantCulture,
        $$$"""{"add_trackers":"","alt_dl_limit":10240,"dht":false,"listen_port":{{{ListenPort}}},"lsd":false,"max_connec":500,"pex":false,"proxy_password":"not-a-secret-here","random_port":{{{(RandomPort ? "true" : "false")}}},"upnp":{{{(Upnp ? "true" : "false")}}},"web_ui_port":{{{webUiPort}}},"scan_dirs":{}{{{AnnouncePortField()}}}{{{NetworkInterfaceField()}}}}""");

    private string AnnouncePortField() => AnnouncePort is { } a ? string.Create(CultureInfo.InvariantCulture, $",\"announce_port\":{a}") : string.Empty;

    private string NetworkInterfaceField() => NetworkInterface is { } i ? $",\"current_network_interface\":{JsonSerializer.Serialize(i)}" : string.Empty;

    private HttpResponseMessage SetPreferences(string body)
    {
        // Like qBittorrent: 200 whatever the json says; fields it cannot use are ignored.
        try
        {
            using var doc = JsonDocument.Parse(ParseForm(body).GetValueOrDefault("json") ?? "{}");
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var randomWins = root.TryGetProperty("random_port", out var rp) && rp.ValueKind == JsonValueKind.True;
                if (randomWins && !IgnoreListenPortWrites)
                {
                    ListenPort = RandomlyPickedPort;
                    ListenPortHistory.Add(RandomlyPickedPort);
                }
                else if (root.TryGetProperty("listen_port", out var p) && p.TryGetInt32(out var port) && !IgnoreListenPortWrites)
                {
                    ListenPort = port;
                    ListenPortHistory.Add(port);
                }

                if (root.TryGetProperty("upnp", out var u) && u.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    Upnp = u.GetBoolean();
                }

                if (root.TryGetProperty("random_port", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    RandomPort = r.GetBoolean();
                }

                if (root.TryGetProperty("announce_port", out var a) && a.TryGetInt32(out var announce) && AnnouncePort is not null && !IgnoreAnnouncePortWrites)
                {
                    AnnouncePort = announce;
                }
            }
        }
        catch (JsonException)
        {
            // qBittorrent ignores garbage too.
        }

        return version == QBittorrentFakeVersion.V5_2 ? new HttpResponseMessage(HttpStatusCode.OK) : Text(HttpStatusCode.OK, string.Empty);
    }

    private HttpResponseMessage Reannounce()
    {
        ReannounceCount++;
        return new HttpResponseMessage(HttpStatusCode.OK);
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            form[WebUtility.UrlDecode(kv[0])] = kv.Length > 1 ? WebUtility.UrlDecode(kv[1]) : string.Empty;
        }

        return form;
    }

    private static string? Header(HttpRequestMessage request, string name)
        => request.Headers.TryGetValues(name, out var values) ? string.Join("; ", values) : null;

    public static HttpResponseMessage Text(HttpStatusCode status, string text)
        => new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    public static HttpResponseMessage Json(string json)
        => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
