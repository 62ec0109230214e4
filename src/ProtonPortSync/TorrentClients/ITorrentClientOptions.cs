namespace ProtonPortSync.TorrentClients;

/// <summary>What <see cref="HttpTorrentClient"/> needs from an adapter's options: the request timeout and validation.</summary>
internal interface ITorrentClientOptions
{
    /// <summary>How long one HTTP exchange (and one TCP connect) may take.</summary>
    TimeSpan RequestTimeout { get; }

    /// <summary>Every problem with the options, each with what to do; empty when they are usable.</summary>
    IReadOnlyList<string> Validate();
}
