using System.Net;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// Login: <c>POST /api/v2/auth/login</c>. qBittorrent 4.1–5.1 answers 200 <c>Ok.</c> / 200 <c>Fails.</c>;
/// 5.2 answers 204 / 401; every version answers 403 to a banned address.
/// </summary>
internal sealed partial class QBittorrentClient
{
    private const string LoginEndpoint = "auth/login";

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var passwordFile = _passwordFile!;
        var (password, fingerprint) = ReadGatedSecret(passwordFile);

        var request = Form(LoginEndpoint, [new("username", _options.Username), new("password", password)]);
        using var response = await SendRawAsync(LoginEndpoint, request, cancellationToken);
        var status = (int)response.StatusCode;
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();

        switch (response.StatusCode)
        {
            case HttpStatusCode.NoContent:
            case HttpStatusCode.OK when body == "Ok.":
                _sessionCookies = SessionCookies(response);
                _loggedIn = true;
                LoginGate.RecordSuccess();
                Log.LoggedIn(_logger, _options.BaseUrl, _options.Username);
                return;

            case HttpStatusCode.OK when body == "Fails.":
            case HttpStatusCode.Unauthorized:
                var notBefore = LoginGate.RecordRefused(fingerprint);
                Log.CredentialsRefused(_logger, _options.BaseUrl, passwordFile.Description, _options.Username, notBefore);
                throw Failure(
                    TorrentClientFailure.BadCredentials,
                    $"qBittorrent refused the password from '{passwordFile.Path}' for user '{_options.Username}' (HTTP {status}); not trying again before {notBefore:O} unless the file changes, because 5 failed logins ban this address for an hour.",
                    retryNotBefore: notBefore);

            case HttpStatusCode.Forbidden:
                var banEnds = LoginGate.RecordBanned();
                Log.Banned(_logger, _options.BaseUrl, banEnds);
                throw Failure(
                    TorrentClientFailure.Banned,
                    $"qBittorrent has banned this address after too many failed logins (403 at login); waiting until {banEnds:O}. Restarting qBittorrent lifts the ban sooner.",
                    retryNotBefore: banEnds);

            case HttpStatusCode.OK:
                throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's login answered 200 with neither 'Ok.' nor 'Fails.' but {body.Length} other characters; is the URL pointing at qBittorrent's WebUI?");

            default:
                EnsureSuccess(LoginEndpoint, response);
                throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's login answered HTTP {status}, which no qBittorrent version sends.");
        }
    }

    /// <summary>
    /// The session cookie is whatever qBittorrent set: <c>SID</c> (≤ 5.1), <c>QBT_SID_&lt;port&gt;</c> (5.2), or the name
    /// configured with WebUI\SessionCookieName (4.6+). Keep every name=value pair, drop the attributes.
    /// </summary>
    private static string? SessionCookies(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }

        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var pair = value.Split(';', 2)[0].Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                cookies[pair[..equals]] = pair;
            }
        }

        return cookies.Count == 0 ? null : string.Join("; ", cookies.Values);
    }

    /// <summary>The secret in <paramref name="file"/>, unless a refusal or a ban holds logins back.</summary>
    private (string Secret, string Fingerprint) ReadGatedSecret(SecretFile file)
        => ReadGatedSecret(file, reason => reason == TorrentClientFailure.Banned
            ? "qBittorrent banned this address"
            : $"qBittorrent refused the secret in '{file.Path}' and the file has not changed since");
}
