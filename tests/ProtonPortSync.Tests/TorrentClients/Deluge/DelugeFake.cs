using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProtonPortSync.Tests.TorrentClients.Deluge;

/// <summary>
/// An in-memory deluge-web 2.0.3 JSON-RPC with its deluged (an <see cref="HttpMessageHandler"/>), as measured:
/// <c>auth.login</c> → true/false and a <c>_session_id</c> cookie; "Not authenticated" (code 1) without a session;
/// not connected until <c>web.connect</c>, and core.* then "Unknown method" (code 2); <c>core.set_config</c> answers
/// null to anything, <c>core.get_listen_port</c> gives 0 when the configured port cannot be bound.
/// <c>core.get_config_value</c> answers the value of the key asked for (only listen_ports here; null for any other key).
/// </summary>
internal sealed class DelugeFake : HttpMessageHandler
{
    public const string HostId = "bc586701b0fe4f49afaa8f9880580e31";

    private readonly HashSet<string> _sessions = [];

    public string Password { get; set; } = "deluge-pw";

    /// <summary>deluged is running (web.connect succeeds).</summary>
    public bool DaemonOnline { get; set; } = true;

    /// <summary>deluge-web is connected to deluged.</summary>
    public bool Connected { get; set; }

    public int[] ListenPorts { get; set; } = [6881, 6881];

    public bool RandomPort { get; set; } = true;

    public bool Upnp { get; set; } = true;

    public bool NatPmp { get; set; } = true;

    /// <summary>What core.get_session_state answers: the ids of deluged's torrents.</summary>
    public string[] TorrentIds { get; set; } = ["0f4b", "9a1c"];

    /// <summary>When true, set_config stores the range but the port is not bound (taken by another program).</summary>
    public bool BindFails { get; set; }

    public Func<string, HttpResponseMessage?>? Intercept { get; set; }

    public List<(string Method, string Body, string? Cookie)> Requests { get; } = [];

    public List<int> ListenPortHistory { get; } = [];

    public int Count(string method) => Requests.Count(r => r.Method == method);

    public int BoundPort => BindFails || ListenPorts[0] is < 1 or > 65535 ? 0 : ListenPorts[0];

    /// <summary>Forgets every session, as session_timeout or a deluge-web restart does.</summary>
    public void ExpireSessions() => _sessions.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var cookie = request.Headers.TryGetValues("Cookie", out var c) ? string.Join("; ", c) : null;
        string method;
        JsonElement parameters;
        int id;
        try
        {
            using var doc = JsonDocument.Parse(body);
            method = doc.RootElement.GetProperty("method").GetString()!;
            parameters = doc.RootElement.GetProperty("params").Clone();
            id = doc.RootElement.GetProperty("id").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Json("""{"result": null, "id": null, "error": {"code": 5, "message": "JSONException: JSON not decodable"}}""");
        }

        Requests.Add((method, body, cookie));
        if (Intercept?.Invoke(method) is { } scripted)
        {
            return scripted;
        }

        if (method == "auth.login")
        {
            if (parameters[0].GetString() != Password)
            {
                return Result(id, "false");
            }

            var sid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(34));
            _sessions.Add(sid);
            var ok = Result(id, "true");
            ok.Headers.Add("Set-Cookie", $"_session_id={sid}; Expires=Wed, 25 Nov 2026 13:38:38 GMT; Path=/json");
            return ok;
        }

        if (cookie is null || !_sessions.Contains(cookie.Replace("_session_id=", string.Empty, StringComparison.Ordinal)))
        {
            return Error(id, 1, "Not authenticated");
        }

        return method switch
        {
            "web.connected" => Result(id, Connected ? "true" : "false"),
            "web.get_hosts" => Result(id, $"""[["{HostId}", "127.0.0.1", 58846, "localclient"]]"""),
            "web.connect" => Connect(id),
            _ when method.StartsWith("core.", StringComparison.Ordinal) && !Connected => Error(id, 2, "Unknown method"),
            "core.get_listen_port" => Result(id, BoundPort.ToString(CultureInfo.InvariantCulture)),
            "core.get_config_value" => Result(id, parameters[0].GetString() == "listen_ports" ? JsonSerializer.Serialize(ListenPorts) : "null"),
            "core.set_config" => SetConfig(id, parameters[0]),
            "core.get_session_state" => Result(id, JsonSerializer.Serialize(TorrentIds)),
            "core.force_reannounce" => Result(id, "null"),
            _ => Error(id, 2, "Unknown method"),
        };
    }

    private HttpResponseMessage Connect(int id)
    {
        Connected = DaemonOnline;
        return Result(id, Connected ? """["core.get_listen_port", "core.set_config"]""" : "null");
    }

    private HttpResponseMessage SetConfig(int id, JsonElement config)
    {
        if (config.TryGetProperty("listen_ports", out var ports))
        {
            ListenPorts = [.. ports.EnumerateArray().Select(p => p.GetInt32())];
            ListenPortHistory.Add(ListenPorts[0]);
        }

        RandomPort = config.TryGetProperty("random_port", out var r) ? r.GetBoolean() : RandomPort;
        Upnp = config.TryGetProperty("upnp", out var u) ? u.GetBoolean() : Upnp;
        NatPmp = config.TryGetProperty("natpmp", out var n) ? n.GetBoolean() : NatPmp;
        return Result(id, "null");
    }

    private static HttpResponseMessage Result(int id, string resultJson)
        => Json(string.Create(CultureInfo.InvariantCulture, $$"""{"result": {{resultJson}}, "error": null, "id": {{id}}}"""));

    private static HttpResponseMessage Error(int id, int code, string message)
        => Json(string.Create(CultureInfo.InvariantCulture, $$"""{"result": null, "error": {"message": "{{message}}", "code": {{code}}}, "id": {{id}}}"""));

    public static HttpResponseMessage Json(string json)
        => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
