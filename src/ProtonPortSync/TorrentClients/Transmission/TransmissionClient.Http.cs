using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// One RPC call: Basic credentials (behind the refusal gate), the 409 session-id handshake, the mapping of statuses
/// and transport failures, and the JSON result. Transmission checks credentials before the session id, so a wrong
/// password answers 401 at once.
/// </summary>
internal sealed partial class TransmissionClient
{
    private const string SessionIdHeader = "X-Transmission-Session-Id";

    private string? _sessionId;

    private async Task<TransmissionResponse> CallAsync(TransmissionRequest rpc, CancellationToken cancellationToken)
    {
        var (authorization, fingerprint) = Credentials();
        var response = await SendAsync(rpc, authorization, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var id = response.Headers.TryGetValues(SessionIdHeader, out var values) ? values.FirstOrDefault() : null;
            response.Dispose();
            if (string.IsNullOrWhiteSpace(id))
            {
                throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission answered 409 to {rpc.Method} without an {SessionIdHeader} header; is the URL pointing at Transmission's RPC?");
            }

            if (_sessionId is null)
            {
                Log.SessionIdReceived(_logger);
            }
            else
            {
                Log.SessionIdChanged(_logger);
            }

            _sessionId = id;
            response = await SendAsync(rpc, authorization, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                response.Dispose();
                throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission answered 409 to {rpc.Method} twice, even with the session id it handed out; a proxy may be dropping the {SessionIdHeader} header.");
            }
        }

        using (response)
        {
            await ThrowIfRefusedAsync(rpc.Method, response, fingerprint, cancellationToken);
            if (fingerprint is not null)
            {
                LoginGate.RecordSuccess();
            }

            return await ReadResultAsync(rpc.Method, response, cancellationToken);
        }
    }

    /// <summary>The Basic authorization value and the password's fingerprint; throws BackingOff while a refusal's backoff runs.</summary>
    private (string? Authorization, string? Fingerprint) Credentials()
    {
        if (_passwordFile is null)
        {
            return (null, null);
        }

        var (password, fingerprint) = ReadGatedSecret(_passwordFile, reason => reason == TorrentClientFailure.Banned
            ? "Transmission locked its RPC after too many failed logins (restart transmission-daemon to unlock it)"
            : $"Transmission refused the password in '{_passwordFile.Path}' and the file has not changed since");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{password}"));
        return (basic, fingerprint);
    }

    private async Task ThrowIfRefusedAsync(string method, HttpResponseMessage response, string? fingerprint, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            if (fingerprint is null)
            {
                throw Failure(TorrentClientFailure.BadCredentials, "Transmission answered 401: it wants a user name and password, but no password file is configured. Configure --transmission-user and --transmission-password-file.");
            }

            var notBefore = LoginGate.RecordRefused(fingerprint);
            Log.CredentialsRefused(_logger, _options.RpcUrl, _passwordFile!.Description, _options.Username, notBefore);
            throw Failure(
                TorrentClientFailure.BadCredentials,
                $"Transmission refused the password from '{_passwordFile.Path}' for user '{_options.Username}' (HTTP 401); not trying again before {notBefore:O} unless the file changes, because 100 failed logins lock its RPC until it restarts.",
                retryNotBefore: notBefore);
        }

        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Contains("Too many unsuccessful login attempts", StringComparison.OrdinalIgnoreCase))
            {
                var lockEnds = LoginGate.RecordBanned();
                Log.LockedOut(_logger, _options.RpcUrl, lockEnds);
                throw Failure(TorrentClientFailure.Banned, $"Transmission locked its RPC after too many failed logins (403); restart transmission-daemon to unlock it. Waiting until {lockEnds:O}.", retryNotBefore: lockEnds);
            }

            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission answered 403 to {method}: this address is not in its rpc-whitelist (or the Host is not in rpc-host-whitelist); add it, or turn the whitelist off.");
        }

        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var (failure, hint) = status switch
        {
            >= 500 => (TorrentClientFailure.Unreachable, "Transmission (or a proxy in front of it) is failing or restarting"),
            404 => (TorrentClientFailure.InvalidResponse, "check the URL: it must end in the RPC path, e.g. /transmission/rpc (rpc-url + 'rpc')"),
            >= 300 and < 400 => (TorrentClientFailure.InvalidResponse, "a redirect; point the URL at the RPC endpoint itself (http vs https, path)"),
            _ => (TorrentClientFailure.InvalidResponse, "an answer the adapter does not expect"),
        };
        throw Failure(failure, $"Transmission answered HTTP {status} to {method}: {hint}.");
    }

    private static async Task<TransmissionResponse> ReadResultAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        TransmissionResponse? result;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            result = await JsonSerializer.DeserializeAsync(body, TransmissionJsonContext.Default.TransmissionResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission's answer to {method} is not the expected JSON object ({PeerText.Clean(e.Message)}); is the URL pointing at Transmission's RPC?", e);
        }

        if (result?.Result is not { } text)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission's answer to {method} has no \"result\" field.");
        }

        if (!string.Equals(text, "success", StringComparison.Ordinal))
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission refused {method}: \"{PeerText.Clean(text)}\".");
        }

        return result;
    }

    /// <summary>One HTTP exchange, bounded by the request timeout; maps transport failures to Unreachable.</summary>
    private async Task<HttpResponseMessage> SendAsync(TransmissionRequest rpc, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.RpcUrl)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(rpc, TransmissionJsonContext.Default.TransmissionRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (authorization is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", authorization);
        }

        if (_sessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(SessionIdHeader, _sessionId);
        }

        return await SendBoundedAsync(request, "Transmission", _options.RpcUrl, rpc.Method, _options.RequestTimeout, _timeProvider, cancellationToken);
    }
}
