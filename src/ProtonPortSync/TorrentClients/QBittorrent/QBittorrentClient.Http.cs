using System.Net;
using System.Net.Http.Headers;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>Sending requests: credentials, one relogin on 403, and the mapping of transport failures and statuses.</summary>
internal sealed partial class QBittorrentClient
{
    private bool _loggedIn;
    private string? _sessionCookies;

    /// <summary>Sends an API request with whatever credentials are configured; returns only a 2xx response.</summary>
    private async Task<HttpResponseMessage> SendAuthorizedAsync(string endpoint, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        if (_apiKeyFile is not null)
        {
            return EnsureSuccess(endpoint, await SendWithApiKeyAsync(endpoint, build, cancellationToken));
        }

        if (_passwordFile is null)
        {
            var anonymous = await SendRawAsync(endpoint, build(), cancellationToken);
            if (anonymous.StatusCode == HttpStatusCode.Forbidden)
            {
                anonymous.Dispose();
                throw Failure(
                    TorrentClientFailure.BadCredentials,
                    $"qBittorrent answered 403 to {endpoint}: it wants a login, but no password file or API key file is configured. Configure one, or enable 'Bypass authentication for clients on localhost' in qBittorrent.");
            }

            return EnsureSuccess(endpoint, anonymous);
        }

        if (!_loggedIn)
        {
            await LoginAsync(cancellationToken);
        }

        var response = await SendRawAsync(endpoint, WithSession(build()), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return EnsureSuccess(endpoint, response);
        }

        // 403 on anything but login = no valid session (expired after WebUI\SessionTimeout, or qBittorrent restarted).
        response.Dispose();
        Log.SessionExpired(_logger, endpoint);
        _loggedIn = false;
        _sessionCookies = null;
        await LoginAsync(cancellationToken);
        var retried = await SendRawAsync(endpoint, WithSession(build()), cancellationToken);
        if (retried.StatusCode == HttpStatusCode.Forbidden)
        {
            retried.Dispose();
            _loggedIn = false;
            throw Failure(
                TorrentClientFailure.InvalidResponse,
                $"qBittorrent answered 403 to {endpoint} right after a successful login; a reverse proxy may be dropping the session cookie.");
        }

        return EnsureSuccess(endpoint, retried);
    }

    private async Task<HttpResponseMessage> SendWithApiKeyAsync(string endpoint, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var (key, fingerprint) = ReadGatedSecret(_apiKeyFile!);
        var request = build();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await SendRawAsync(endpoint, request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            var notBefore = LoginGate.RecordRefused(fingerprint);
            Log.CredentialsRefused(_logger, _options.BaseUrl, _apiKeyFile!.Description, _options.Username, notBefore);
            throw Failure(
                TorrentClientFailure.BadCredentials,
                $"qBittorrent answered {status} to the API key from '{_apiKeyFile.Path}' (needs qBittorrent 5.2 or later and a current key); not retrying before {notBefore:O} unless the file changes.",
                retryNotBefore: notBefore);
        }

        if (response.IsSuccessStatusCode)
        {
            LoginGate.RecordSuccess();
        }

        return response;
    }

    private HttpRequestMessage WithSession(HttpRequestMessage request)
    {
        if (_sessionCookies is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", _sessionCookies);
        }

        return request;
    }

    /// <summary>One HTTP exchange, bounded by the request timeout; maps transport failures to Unreachable.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(string endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            // Neither Referer nor Origin is ever set: qBittorrent answers 401 when they do not match its Host.
            return await SendBoundedAsync(request, "qBittorrent", _options.BaseUrl, endpoint, _options.RequestTimeout, _timeProvider, cancellationToken);
        }
        finally
        {
            request.Dispose();
        }
    }

    private static HttpResponseMessage EnsureSuccess(string endpoint, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        var (failure, hint) = status switch
        {
            >= 500 => (TorrentClientFailure.Unreachable, "qBittorrent (or a proxy in front of it) is failing or restarting"),
            401 => (TorrentClientFailure.InvalidResponse, "a proxy may be adding a Referer/Origin or changing the Host header, which qBittorrent rejects"),
            404 => (TorrentClientFailure.InvalidResponse, "check the URL (a reverse-proxy path prefix?) and that it is qBittorrent's WebUI"),
            405 => (TorrentClientFailure.InvalidResponse, "this qBittorrent version wants another HTTP method; please report it"),
            >= 300 and < 400 => (TorrentClientFailure.InvalidResponse, "a redirect; point the URL at the WebUI itself (http vs https, path prefix)"),
            _ => (TorrentClientFailure.InvalidResponse, "an answer the adapter does not expect"),
        };
        return ThrowStatus(endpoint, status, failure, hint);
    }

    private static HttpResponseMessage ThrowStatus(string endpoint, int status, TorrentClientFailure failure, string hint)
        => throw Failure(failure, $"qBittorrent answered HTTP {status} to {endpoint}: {hint}.");
}
