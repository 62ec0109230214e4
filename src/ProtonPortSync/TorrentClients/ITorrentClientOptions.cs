namespace ProtonPortSync.TorrentClients;

/// <summary>What <see cref="HttpTorrentClient"/> needs from an adapter's options: the URL and its trust, the request timeout, validation.</summary>
internal interface ITorrentClientOptions
{
    /// <summary>How long one HTTP exchange (and one TCP connect) may take.</summary>
    TimeSpan RequestTimeout { get; }

    /// <summary>Where requests go; an https:// URL is verified with <see cref="CaFile"/> or the system's trust store.</summary>
    Uri ServerUrl { get; }

    /// <summary>PEM file of the certificates trusted for an https:// <see cref="ServerUrl"/> instead of the system's store; null: the system's.</summary>
    string? CaFile { get; }

    /// <summary>The option that sets <see cref="CaFile"/> ("--qbt-ca-file"), for messages.</summary>
    string CaFileFlag { get; }

    /// <summary>Every problem with the options, each with what to do; empty when they are usable.</summary>
    IReadOnlyList<string> Validate();

    /// <summary>
    /// The problems of a CA file setting: an empty path, or a CA file with an http:// URL. The latter is an error, not
    /// a warning: whoever gives a CA file expects the connection to be encrypted and verified, and with http:// the
    /// password would cross the network in clear text while they believe it does not.
    /// </summary>
    static IEnumerable<string> CaFileErrors(Uri? url, string? caFile, string flag)
    {
        if (caFile is null)
        {
            yield break;
        }

        if (caFile.Length == 0)
        {
            yield return $"The {flag} path is empty; give the PEM file with the server's certificate or its CA, or leave the option out.";
        }
        else if (url is { IsAbsoluteUri: true } && string.Equals(url.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{flag} was given but the URL '{url.GetLeftPart(UriPartial.Path)}' is http://, which has no certificate to check: use https:// (the WebUI must serve HTTPS), or leave {flag} out.";
        }
    }
}
