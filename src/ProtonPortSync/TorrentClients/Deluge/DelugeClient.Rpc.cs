using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>
/// JSON-RPC plumbing: the session cookie, login (behind the refusal gate), one login again on "Not authenticated",
/// connecting deluge-web to deluged, and the mapping of statuses, transport failures and RPC errors.
/// </summary>
internal sealed partial class DelugeClient
{
    private const string SessionCookieName = "_session_id";

    private string? _sessionCookie;
    private int _nextId;

    /// <summary>Calls a method with a session, logging in first when there is none and once more when it expired.</summary>
    private async Task<JsonElement> CallAsync(string method, IReadOnlyList<JsonElement> parameters, CancellationToken cancellationToken)
    {
        if (_sessionCookie is null)
        {
            await LoginAsync(cancellationToken);
        }

        var response = await SendAsync(method, parameters, cancellationToken);
        if (response.Error is { Code: DelugeError.NotAuthenticated })
        {
            // deluge-web forgets sessions after session_timeout (3600 s) and on restart.
            Log.SessionExpired(_logger, method);
            _sessionCookie = null;
            await LoginAsync(cancellationToken);
            response = await SendAsync(method, parameters, cancellationToken);
            if (response.Error is { Code: DelugeError.NotAuthenticated })
            {
                _sessionCookie = null;
                throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web answered 'Not authenticated' to {method} right after a successful login; a reverse proxy may be dropping the {SessionCookieName} cookie.");
            }
        }

        if (response.Error is { } error)
        {
            var failure = error.Code == DelugeError.UnknownMethod && method.StartsWith("core.", StringComparison.Ordinal)
                ? TorrentClientFailure.Unreachable // deluge-web lost deluged between our check and this call
                : TorrentClientFailure.InvalidResponse;
            throw Failure(failure, $"deluge-web answered an error to {method}: \"{PeerText.Clean(error.Message)}\" (code {error.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
        }

        return response.Result;
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var (password, fingerprint) = ReadGatedSecret(
            _passwordFile,
            _ => $"deluge-web refused the password in '{_passwordFile.Path}' and the file has not changed since");
        var response = await SendAsync("auth.login", [Param(password)], cancellationToken);
        if (response.Error is { } error)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web answered an error to auth.login: \"{PeerText.Clean(error.Message)}\"; is the URL pointing at deluge-web's /json?");
        }

        switch (response.Result.ValueKind)
        {
            case JsonValueKind.True when _sessionCookie is not null:
                LoginGate.RecordSuccess();
                Log.LoggedIn(_logger, _options.Url);
                return;
            case JsonValueKind.True:
                throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web accepted the password but set no {SessionCookieName} cookie; a reverse proxy may be dropping it.");
            case JsonValueKind.False:
                var notBefore = LoginGate.RecordRefused(fingerprint);
                Log.CredentialsRefused(_logger, _options.Url, _passwordFile.Description, notBefore);
                throw Failure(
                    TorrentClientFailure.BadCredentials,
                    $"deluge-web refused the password from '{_passwordFile.Path}'; not trying again before {notBefore:O} unless the file changes.",
                    retryNotBefore: notBefore);
            default:
                throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web's auth.login answered {Describe(response.Result)} instead of true or false.");
        }
    }

    /// <summary>Connects deluge-web to deluged when it is not (after either restarted); loopback hosts are tried first.</summary>
    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (await IsConnectedAsync(cancellationToken))
        {
            return;
        }

        var hosts = await CallAsync("web.get_hosts", [], cancellationToken);
        var candidates = new List<(string Id, string Host, int Port)>();
        if (hosts.ValueKind == JsonValueKind.Array)
        {
            foreach (var h in hosts.EnumerateArray())
            {
                if (h.ValueKind == JsonValueKind.Array && h.GetArrayLength() >= 3 && PeerJson.String(h[0]) is { } id
                    && PeerJson.String(h[1]) is { } host && h[2].ValueKind == JsonValueKind.Number && h[2].TryGetInt32(out var port))
                {
                    candidates.Add((id, host, port));
                }
            }
        }

        if (candidates.Count == 0)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, "deluge-web knows no deluged host; add one in the Web UI's connection manager (or hostlist.conf).");
        }

        var tried = candidates.OrderBy(c => c.Host is "127.0.0.1" or "localhost" or "::1" ? 0 : 1).Take(3).ToList();
        foreach (var (id, host, port) in tried)
        {
            await CallAsync("web.connect", [Param(id)], cancellationToken);
            if (await IsConnectedAsync(cancellationToken))
            {
                Log.ConnectedToDaemon(_logger, host, port);
                return;
            }
        }

        var names = string.Join(", ", tried.Select(c => $"{c.Host}:{c.Port}"));
        throw Failure(TorrentClientFailure.Unreachable, $"deluge-web at {_options.Url} answers but cannot connect to deluged ({names}); is deluged running?");
    }

    private async Task<bool> IsConnectedAsync(CancellationToken cancellationToken)
    {
        var connected = await CallAsync("web.connected", [], cancellationToken);
        return connected.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web's web.connected answered {Describe(connected)} instead of true or false."),
        };
    }

    /// <summary>One HTTP exchange, bounded by the request timeout; maps transport failures and statuses, parses the envelope.</summary>
    private async Task<DelugeResponse> SendAsync(string method, IReadOnlyList<JsonElement> parameters, CancellationToken cancellationToken)
    {
        var rpc = new DelugeRequest { Method = method, Params = parameters, Id = Interlocked.Increment(ref _nextId) };
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(rpc, DelugeJsonContext.Default.DelugeRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (_sessionCookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", _sessionCookie);
        }

        var response = await SendBoundedAsync(request, "deluge-web", _options.Url, method, _options.RequestTimeout, _timeProvider, cancellationToken);
        using (response)
        {
            ThrowIfNotSuccess(method, response.StatusCode);
            KeepSessionCookie(response);
            return await ReadEnvelopeAsync(method, response, cancellationToken);
        }
    }

    private static void ThrowIfNotSuccess(string method, HttpStatusCode statusCode)
    {
        var status = (int)statusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }

        var (failure, hint) = status switch
        {
            >= 500 => (TorrentClientFailure.Unreachable, "deluge-web (or a proxy in front of it) is failing or restarting"),
            404 => (TorrentClientFailure.InvalidResponse, "check the URL: it must be deluge-web's JSON-RPC endpoint, e.g. http://127.0.0.1:8112/json"),
            >= 300 and < 400 => (TorrentClientFailure.InvalidResponse, "a redirect; point the URL at deluge-web's /json itself (http vs https, path prefix)"),
            _ => (TorrentClientFailure.InvalidResponse, "an answer the adapter does not expect"),
        };
        throw Failure(failure, $"deluge-web answered HTTP {status} to {method}: {hint}.");
    }

    /// <summary>deluge-web sets (and refreshes) <c>_session_id</c> on answers; keep the newest, drop its attributes.</summary>
    private void KeepSessionCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var pair = value.Split(';', 2)[0].Trim();
            if (pair.StartsWith(SessionCookieName + "=", StringComparison.Ordinal) && pair.Length > SessionCookieName.Length + 1)
            {
                _sessionCookie = pair;
            }
        }
    }

    private static async Task<DelugeResponse> ReadEnvelopeAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        DelugeResponse? envelope;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            envelope = await JsonSerializer.DeserializeAsync(body, DelugeJsonContext.Default.DelugeResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web's answer to {method} is not the expected JSON-RPC object ({PeerText.Clean(e.Message)}); is the URL pointing at deluge-web's /json?", e);
        }

        return envelope ?? throw Failure(TorrentClientFailure.InvalidResponse, $"deluge-web answered JSON null to {method}.");
    }
}
