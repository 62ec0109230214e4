namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// How to reach qBittorrent's WebUI API. Secrets come from files only (systemd credentials); with neither file set
/// the adapter sends no credentials, which works when qBittorrent "bypasses authentication for localhost".
/// </summary>
internal sealed class QBittorrentOptions : ITorrentClientOptions
{
    public const string DefaultUsername = "admin";
    public static readonly Uri DefaultBaseUrl = new("http://127.0.0.1:8080");
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>WebUI root, e.g. <c>http://127.0.0.1:8080</c>; a path prefix (reverse proxy) is allowed.</summary>
    public required Uri BaseUrl { get; init; }

    public string Username { get; init; } = DefaultUsername;

    /// <summary>File holding the WebUI password; read at each login, so a changed file is picked up.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>File holding a qBittorrent ≥ 5.2 API key (<c>qbt_…</c>), sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Ask every torrent to reannounce after the port changed, so trackers learn the new port at once.</summary>
    public bool Reannounce { get; init; }

    /// <summary>What announce_port (5.1+, the port told to trackers when non-zero) is set to: 0, or the forwarded port.</summary>
    public QBittorrentAnnouncePort AnnouncePort { get; init; } = QBittorrentAnnouncePort.Reset;

    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>PEM file of the certificates trusted for an https:// URL (the WebUI's self-signed certificate or its CA); null: the system's store.</summary>
    public string? CaFile { get; init; }

    Uri ITorrentClientOptions.ServerUrl => BaseUrl;

    string ITorrentClientOptions.CaFileFlag => "--qbt-ca-file";

    /// <summary>Every problem with these options, each saying what is wrong and what to do; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"qBittorrent URL '{WithoutUserInfo(BaseUrl)}' (--qbt-url) must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:8080.");
        }
        else if (!string.IsNullOrEmpty(BaseUrl.Query) || !string.IsNullOrEmpty(BaseUrl.Fragment) || !string.IsNullOrEmpty(BaseUrl.UserInfo))
        {
            errors.Add($"qBittorrent URL '{BaseUrl.GetLeftPart(UriPartial.Path)}' (--qbt-url) must not carry a query, fragment or user info; put the password in a password file.");
        }

        if (string.IsNullOrWhiteSpace(Username) || Username.Any(char.IsControl))
        {
            errors.Add("qBittorrent user name (--qbt-user) must not be empty or hold control characters (qBittorrent's default is 'admin').");
        }

        if (PasswordFile is not null && ApiKeyFile is not null)
        {
            errors.Add("--qbt-password-file and --qbt-api-key-file were both given: use one (the API key needs qBittorrent 5.2 or later).");
        }

        if (PasswordFile is { Length: 0 } || ApiKeyFile is { Length: 0 })
        {
            errors.Add("A qBittorrent secret file path is empty; give the path of the file that holds the secret.");
        }

        errors.AddRange(ITorrentClientOptions.CaFileErrors(BaseUrl, CaFile, "--qbt-ca-file"));

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"qBittorrent request timeout {RequestTimeout} must be between 0 and 5 minutes (default {DefaultRequestTimeout.TotalSeconds:0} s).");
        }

        return errors;
    }

    /// <summary>The URL for messages: user info (which may hold a password) removed.</summary>
    private static string WithoutUserInfo(Uri? url)
        => url is { IsAbsoluteUri: true, UserInfo.Length: > 0 } ? new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString() : url?.ToString() ?? "(none)";
}
