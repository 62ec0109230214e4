using ProtonPortSync.TorrentClients.Tls;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// HTTPS: the server's certificate is checked against the CA file or the system's store (never skipped), and a
/// refused certificate becomes a failure that says why and what to do. Nothing here runs for an http:// URL, so such a
/// set-up never loads OpenSSL (issue 10: +3 MB resident).
/// </summary>
internal abstract partial class HttpTorrentClient
{
    /// <summary>The certificate check of an https:// URL; null for http://.</summary>
    private protected ServerCertificateTrust? Trust { get; }

    /// <summary>
    /// Builds the trust of an https:// URL and puts it into the <see cref="SocketsHttpHandler"/> at the end of
    /// <paramref name="handler"/>'s chain (a test's counting handler may wrap it). A handler of another kind is a
    /// test's fake that never makes a TLS connection.
    /// </summary>
    private static ServerCertificateTrust? TrustFor(ITorrentClientOptions options, string displayName, HttpMessageHandler handler)
    {
        if (!string.Equals(options.ServerUrl?.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var trust = new ServerCertificateTrust(displayName, options.ServerUrl!, options.CaFile, options.CaFileFlag);
        var inner = handler;
        while (inner is DelegatingHandler delegating)
        {
            inner = delegating.InnerHandler;
        }

        if (inner is SocketsHttpHandler sockets)
        {
            trust.Apply(sockets);
        }

        return trust;
    }

    /// <summary>
    /// The failure for a TLS handshake that did not complete: <see cref="TorrentClientFailure.CertificateRefused"/> with
    /// the reason when the certificate was refused, else <see cref="TorrentClientFailure.Unreachable"/> (the port may
    /// not speak TLS at all).
    /// </summary>
    private TorrentClientException TlsFailure(HttpRequestException e, string peer, Uri url, string what)
        => Trust?.TakeRefusal() is { } refusal
            ? new TorrentClientException(Name, TorrentClientFailure.CertificateRefused, refusal, innerException: e)
            : new TorrentClientException(Name, TorrentClientFailure.Unreachable, $"TLS with {peer} at {url} failed ({what}): {PeerText.Clean(e.InnerException?.Message ?? e.Message)}; does that port serve https?", innerException: e);
}
