namespace ProtonPortSync.TorrentClients.Deluge;

/// <summary>How to reach Deluge's Web UI JSON-RPC (deluge-web), which relays to deluged. The password comes from a file only.</summary>
internal sealed class DelugeOptions : ITorrentClientOptions
{
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:8112/json");
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The JSON-RPC endpoint, e.g. <c>http://127.0.0.1:8112/json</c>; a reverse-proxy prefix is allowed.</summary>
    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>File holding the Web UI password; read at each login, so a changed file is picked up.</summary>
    public required string PasswordFile { get; init; }

    /// <summary>Ask every torrent to reannounce (<c>core.force_reannounce</c>) after the port changed.</summary>
    public bool Reannounce { get; init; }

    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>PEM file of the certificates trusted for an https:// URL (the WebUI's self-signed certificate or its CA); null: the system's store.</summary>
    public string? CaFile { get; init; }

    Uri ITorrentClientOptions.ServerUrl => Url;

    string ITorrentClientOptions.CaFileFlag => "--deluge-ca-file";

    /// <summary>Every problem with these options, each saying what is wrong and what to do; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Deluge URL '{Url?.GetLeftPart(UriPartial.Path) ?? "(none)"}' (--deluge-url) must be an absolute http:// or https:// URL of deluge-web's JSON-RPC, e.g. {DefaultUrl}.");
        }
        else if (!string.IsNullOrEmpty(Url.Query) || !string.IsNullOrEmpty(Url.Fragment) || !string.IsNullOrEmpty(Url.UserInfo))
        {
            errors.Add($"Deluge URL '{Url.GetLeftPart(UriPartial.Path)}' (--deluge-url) must not carry a query, fragment or user info; put the password in a password file.");
        }

        if (string.IsNullOrEmpty(PasswordFile))
        {
            errors.Add("--client deluge needs --deluge-password-file (DELUGE_PASSWORD_FILE): deluge-web always asks for its password (its default is 'deluge').");
        }

        errors.AddRange(ITorrentClientOptions.CaFileErrors(Url, CaFile, "--deluge-ca-file"));

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Deluge request timeout {RequestTimeout} must be between 0 and 5 minutes (default {DefaultRequestTimeout.TotalSeconds:0} s).");
        }

        return errors;
    }
}
