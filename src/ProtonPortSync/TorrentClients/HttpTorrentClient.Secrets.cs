using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// A secret file read at every login and sent only when the <see cref="TorrentClients.LoginGate"/> allows it, so a
/// refused password is not retried in a loop (which would get the address banned or the RPC locked).
/// </summary>
internal abstract partial class HttpTorrentClient
{
    private bool _cleartextWarned;

    /// <summary>
    /// Reads the secret in <paramref name="file"/> and asks the login gate whether it may be sent now. Throws
    /// <see cref="TorrentClientFailure.BadCredentials"/> when the file is missing, unreadable or empty, and
    /// <see cref="TorrentClientFailure.BackingOff"/> while a refusal's or a ban's backoff runs; the message then says
    /// <paramref name="whyBlocked"/>(the gate's reason). Record the outcome on <see cref="LoginGate"/> with the fingerprint.
    /// </summary>
    protected (string Secret, string Fingerprint) ReadGatedSecret(SecretFile file, Func<TorrentClientFailure, string> whyBlocked)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(whyBlocked);
        string secret;
        try
        {
            // A file readable by others is `run`'s start warning (the doctor check), said once there, not here.
            secret = file.Read(out _);
        }
        catch (SecretFileException e)
        {
            throw new TorrentClientException(Name, TorrentClientFailure.BadCredentials, e.Message, innerException: e);
        }

        if (!_cleartextWarned && IsCleartextToRemoteHost(Endpoint))
        {
            _cleartextWarned = true;
            LogCleartextSecret(file, Endpoint);
        }

        var fingerprint = SecretFile.Fingerprint(secret);
        switch (LoginGate.Check(fingerprint))
        {
            case LoginGateDecision.AllowedSecretChanged:
                LogSecretChanged(file);
                break;
            case LoginGateDecision.Blocked:
                var notBefore = LoginGate.NotBefore;
                throw new TorrentClientException(
                    Name,
                    TorrentClientFailure.BackingOff,
                    $"Not contacting {_displayName} before {notBefore:O}: {whyBlocked(LoginGate.Reason)}.",
                    notBefore);
        }

        return (secret, fingerprint);
    }

    /// <summary>
    /// True when a secret sent to <paramref name="url"/> crosses a network in clear text: plain http:// to a host that
    /// is not loopback. Anyone on the path (the LAN, a container bridge) can read a password or API key there.
    /// </summary>
    public static bool IsCleartextToRemoteHost(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!string.Equals(url.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !(url.IsLoopback || (System.Net.IPAddress.TryParse(url.IdnHost, out var address) && System.Net.IPAddress.IsLoopback(address)));
    }

    /// <summary>The URL the adapter sends its credentials to.</summary>
    protected abstract Uri Endpoint { get; }

    /// <summary>Warns (once) that a secret goes over http:// to a host that is not loopback, under the adapter's own event id.</summary>
    protected abstract void LogCleartextSecret(SecretFile file, Uri url);

    /// <summary>Says a refused secret changed and is tried before the backoff ends, under the adapter's own event id.</summary>
    protected abstract void LogSecretChanged(SecretFile file);
}
