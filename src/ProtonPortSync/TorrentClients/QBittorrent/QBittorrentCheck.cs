using ProtonPortSync.Configuration;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// qBittorrent answers and takes the credentials, with ONE login (five failures ban the address for an hour), and its
/// own UPnP/NAT-PMP and random port are off (either would fight the daemon over the port).
/// </summary>
internal sealed class QBittorrentCheck(Func<CancellationToken, Task<QBittorrentPreferencesSnapshot>> readPreferences, Uri url) : IDoctorCheck
{
    public const string Name = "qbittorrent";

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        QBittorrentPreferencesSnapshot prefs;
        try
        {
            prefs = await readPreferences(cancellationToken);
        }
        catch (TorrentClientException ex)
        {
            return ex.Failure switch
            {
                TorrentClientFailure.BadCredentials => DoctorResult.Fail(Name, $"{url} refused the credentials: {ex.Message}", "fix --qbt-user and the password file (or use an API key file); do not retry in a loop: 5 failures ban the address for an hour"),
                TorrentClientFailure.Banned => DoctorResult.Fail(Name, $"{url} has banned this address: {ex.Message}", "wait out the ban (1 hour by default) or restart qBittorrent, then fix the credentials"),
                TorrentClientFailure.CertificateRefused => DoctorResult.Fail(Name, ex.Message, "give --qbt-ca-file with the WebUI's certificate or its CA (PEM), or fix the URL's host name or the certificate"),
                TorrentClientFailure.Unreachable => DoctorResult.Fail(Name, $"{url} does not answer: {ex.Message}", "start qBittorrent and check --qbt-url (WebUI address and port)"),
                _ => DoctorResult.Fail(Name, $"{url}: {ex.Message}", "check that --qbt-url points at qBittorrent's WebUI"),
            };
        }
        catch (SecretFileException ex)
        {
            return DoctorResult.Fail(Name, ex.Message, "fix the password or API key file");
        }

        var fights = new List<string>();
        if (prefs.Upnp == true)
        {
            fights.Add("its own UPnP/NAT-PMP port forwarding is on");
        }

        if (prefs.RandomPort == true)
        {
            fights.Add("it picks a random port at each start");
        }

        return fights.Count == 0
            ? DoctorResult.Ok(Name, $"{url} answers, credentials accepted; listening port {prefs.ListenPort}")
            : DoctorResult.Fail(Name, $"{url} answers, credentials accepted, but {string.Join(" and ", fights)}", "in qBittorrent, Options > Connection: untick \"Use UPnP / NAT-PMP port forwarding\" and \"Use different port on each startup\"");
    }
}
