using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients;

/// <summary>
/// A torrent client other than qBittorrent answers and takes the credentials: one read of its listening port (one
/// login at most, so a wrong password never adds up to a lockout).
/// </summary>
internal sealed class TorrentClientCheck(ITorrentClient client, Uri url, string credentialsFlag, string caFileFlag = "the client's CA file option") : IDoctorCheck
{
    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var port = await client.GetListenPortAsync(cancellationToken);
            return DoctorResult.Ok(client.Name, $"{url} answers, credentials accepted; listening port {port}");
        }
        catch (TorrentClientException ex)
        {
            return ex.Failure switch
            {
                TorrentClientFailure.BadCredentials => DoctorResult.Fail(client.Name, $"{url} refused the credentials: {ex.Message}", $"fix {credentialsFlag}; do not retry in a loop"),
                TorrentClientFailure.Banned => DoctorResult.Fail(client.Name, $"{url} locked this address out: {ex.Message}", $"restart {client.Name}, then fix {credentialsFlag}"),
                TorrentClientFailure.CertificateRefused => DoctorResult.Fail(client.Name, ex.Message, $"give {caFileFlag} with the server's certificate or its CA (PEM), or fix the URL's host name or the certificate"),
                TorrentClientFailure.Unreachable => DoctorResult.Fail(client.Name, $"{url} does not answer: {ex.Message}", $"start {client.Name} and check its URL flag"),
                _ => DoctorResult.Fail(client.Name, $"{url}: {ex.Message}", $"check that the URL points at {client.Name}'s RPC endpoint"),
            };
        }
        catch (SecretFileException ex)
        {
            return DoctorResult.Fail(client.Name, ex.Message, $"fix {credentialsFlag}");
        }
    }
}
