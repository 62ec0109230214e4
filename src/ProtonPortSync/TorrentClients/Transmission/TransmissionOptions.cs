namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// How to reach Transmission's RPC. The password comes from a file only (systemd credentials); without one the adapter
/// sends no credentials, which works when <c>rpc-authentication-required</c> is false.
/// </summary>
internal sealed class TransmissionOptions : ITorrentClientOptions
{
    public static readonly Uri DefaultRpcUrl = new("http://127.0.0.1:9091/transmission/rpc");
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The RPC endpoint itself, e.g. <c>http://127.0.0.1:9091/transmission/rpc</c> (<c>rpc-url</c> + <c>rpc</c>).</summary>
    public Uri RpcUrl { get; init; } = DefaultRpcUrl;

    /// <summary><c>rpc-username</c>; Transmission allows an empty one.</summary>
    public string Username { get; init; } = string.Empty;

    /// <summary>File holding <c>rpc-password</c>; read at every request that needs it, so a changed file is picked up.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Ask every torrent to reannounce (<c>torrent-reannounce</c>) after the port changed.</summary>
    public bool Reannounce { get; init; }

    /// <summary>
    /// Ask Transmission's <c>port-test</c> whether peers reach the port (<c>--transmission-port-test</c>). Off by default:
    /// the test is made by Transmission's outside service, which then knows the port and the public address.
    /// </summary>
    public bool PortTest { get; init; }

    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>PEM file of the certificates trusted for an https:// URL (the WebUI's self-signed certificate or its CA); null: the system's store.</summary>
    public string? CaFile { get; init; }

    Uri ITorrentClientOptions.ServerUrl => RpcUrl;

    string ITorrentClientOptions.CaFileFlag => "--transmission-ca-file";

    /// <summary>Every problem with these options, each saying what is wrong and what to do; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (RpcUrl is null || !RpcUrl.IsAbsoluteUri || (RpcUrl.Scheme != Uri.UriSchemeHttp && RpcUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Transmission RPC URL '{RpcUrl?.GetLeftPart(UriPartial.Path) ?? "(none)"}' (--transmission-url) must be an absolute http:// or https:// URL, e.g. {DefaultRpcUrl}.");
        }
        else if (!string.IsNullOrEmpty(RpcUrl.Query) || !string.IsNullOrEmpty(RpcUrl.Fragment) || !string.IsNullOrEmpty(RpcUrl.UserInfo))
        {
            errors.Add($"Transmission RPC URL '{RpcUrl.GetLeftPart(UriPartial.Path)}' (--transmission-url) must not carry a query, fragment or user info; put the password in a password file.");
        }

        if (Username is null || Username.Contains(':', StringComparison.Ordinal) || Username.Any(char.IsControl))
        {
            errors.Add("Transmission user name (--transmission-user) must not contain ':' or control characters (HTTP Basic authentication cannot carry them).");
        }

        if (PasswordFile is { Length: 0 })
        {
            errors.Add("The Transmission password file path is empty; give the path of the file that holds rpc-password.");
        }

        errors.AddRange(ITorrentClientOptions.CaFileErrors(RpcUrl, CaFile, "--transmission-ca-file"));

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Transmission request timeout {RequestTimeout} must be between 0 and 5 minutes (default {DefaultRequestTimeout.TotalSeconds:0} s).");
        }

        return errors;
    }
}
