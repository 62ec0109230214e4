using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

/// <summary>One request the fake received.</summary>
internal sealed record TransmissionFakeRequest(string? SessionId, string? Authorization, string Method, string Body);

/// <summary>
/// An in-memory transmission-daemon 3.00 RPC (an <see cref="HttpMessageHandler"/>), as measured: Basic auth checked
/// first (401, and after 100 failures 403 until restart), then the 409 session-id handshake, then JSON with
/// <c>result</c>; <c>session-set</c> answers "success" to any number and stores it modulo 65536 (70000 → 4464).
/// </summary>
internal sealed class TransmissionFake : HttpMessageHandler
{
    public const int LockoutAfter = 100;

    private int _failedLogins;

    public string Username { get; set; } = "admin";

    public string? Password { get; set; } = "secret";

    public string SessionId { get; private set; } = NewSessionId();

    public int PeerPort { get; set; } = 51413;

    public bool PortForwardingEnabled { get; set; } = true;

    public bool PeerPortRandomOnStart { get; set; } = true;

    /// <summary>config-dir in session-get, as Transmission reports it; null = left out.</summary>
    public string? ConfigDir { get; set; }

    private string ConfigDirField() => ConfigDir is null ? string.Empty : $",\"config-dir\":{JsonSerializer.Serialize(ConfigDir)}";

    /// <summary>When true, session-set answers success but keeps peer-port (another tool fighting us).</summary>
    public bool IgnorePeerPortWrites { get; set; }

    /// <summary>When true, the fake never answers (until the request is cancelled).</summary>
    public bool Hang { get; set; }

    /// <summary>Runs first on every request: return a response or throw to script a fault; null = behave normally.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>
    /// The answer to port-test. Transmission makes the test through its outside service and answers when that one
    /// did; when it cannot be reached it answers an error result, measured in a namespace with only lo: 3.00 says
    /// "portTested: http error 0: No Response", 4.1.0~beta2 "Couldn't test port: No Response (0)".
    /// </summary>
    public string PortTestAnswer { get; set; } = OpenPortTestAnswer;

    public const string OpenPortTestAnswer = """{"arguments":{"port-is-open":true},"result":"success"}""";

    public List<TransmissionFakeRequest> Requests { get; } = [];

    public int PortTests => Requests.Count(r => r.Method == "port-test");

    public List<int> PeerPortHistory { get; } = [];

    public int ConflictCount { get; private set; }

    /// <summary>A new session id, as a restart of transmission-daemon gives.</summary>
    public void RotateSessionId() => SessionId = NewSessionId();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var sessionId = request.Headers.TryGetValues("X-Transmission-Session-Id", out var ids) ? ids.First() : null;
        var method = TryMethod(body);
        Requests.Add(new(sessionId, request.Headers.Authorization?.ToString(), method, body));
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Intercept?.Invoke(request) is { } scripted)
        {
            return scripted;
        }

        if (_failedLogins >= LockoutAfter)
        {
            return Html(HttpStatusCode.Forbidden, "<h1>403: Forbidden</h1><p>Too many unsuccessful login attempts. Please restart transmission-daemon.</p>");
        }

        if (Password is not null && !Authorized(request))
        {
            _failedLogins++;
            var refused = Html(HttpStatusCode.Unauthorized, $"<h1>401: Unauthorized</h1><p>Unauthorized User. {_failedLogins} unsuccessful login attempts.</p>");
            refused.Headers.Add("WWW-Authenticate", "Basic realm=\"Transmission\"");
            return refused;
        }

        _failedLogins = 0;
        if (sessionId != SessionId)
        {
            ConflictCount++;
            var conflict = Html(HttpStatusCode.Conflict, "<h1>409: Conflict</h1><p>Your request had an invalid session-id header.</p>");
            conflict.Headers.Add("X-Transmission-Session-Id", SessionId);
            return conflict;
        }

        return Rpc(body);
    }

    private bool Authorized(HttpRequestMessage request)
    {
        if (request.Headers.Authorization is not { Scheme: "Basic", Parameter: { } parameter })
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        return decoded == $"{Username}:{Password}";
    }

    private HttpResponseMessage Rpc(string body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Json("""{"arguments":{},"result":"no method name"}""");
        }

        using (doc)
        {
            var root = doc.RootElement;
            var method = root.TryGetProperty("method", out var m) ? m.GetString() : null;
            var args = root.TryGetProperty("arguments", out var a) ? a : default;
            switch (method)
            {
                case "session-get":
                    return Json(string.Create(
                        CultureInfo.InvariantCulture,
                        $$"""{"arguments":{"peer-port":{{PeerPort}},"peer-port-random-on-start":{{Bool(PeerPortRandomOnStart)}},"port-forwarding-enabled":{{Bool(PortForwardingEnabled)}},"rpc-version":16{{ConfigDirField()}}},"result":"success"}"""));
                case "torrent-reannounce":
                    return Json("""{"arguments":{},"result":"success"}""");
                case "port-test":
                    return Json(PortTestAnswer);
                case "session-set":
                    if (args.ValueKind == JsonValueKind.Object)
                    {
                        if (args.TryGetProperty("peer-port", out var p) && p.TryGetInt32(out var port) && !IgnorePeerPortWrites)
                        {
                            PeerPort = port & 0xFFFF;
                            PeerPortHistory.Add(PeerPort);
                        }

                        if (args.TryGetProperty("port-forwarding-enabled", out var f) && f.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            PortForwardingEnabled = f.GetBoolean();
                        }

                        if (args.TryGetProperty("peer-port-random-on-start", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            PeerPortRandomOnStart = r.GetBoolean();
                        }
                    }

                    return Json("""{"arguments":{},"result":"success"}""");
                default:
                    return Json("""{"arguments":{},"result":"method name not recognized"}""");
            }
        }
    }

    private static string TryMethod(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("method", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string NewSessionId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));

    public static HttpResponseMessage Html(HttpStatusCode status, string html)
        => new(status) { Content = new StringContent(html, Encoding.Latin1, "text/html") };

    public static HttpResponseMessage Json(string json)
        => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
