namespace ProtonPortSync.Observability;

/// <summary>
/// What the observability server tolerates from a peer. A scraper needs one connection and sends a few hundred
/// bytes at once; anything slower or bigger is a broken or hostile peer, and must not hold a slot for long.
/// </summary>
internal sealed record ServerLimits
{
    public const int DefaultMaxConnections = 128;
    public const int DefaultMaxHeaderBytes = 8 * 1024;
    public static readonly TimeSpan DefaultHeaderTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(20);

    public static ServerLimits Default { get; } = new();

    /// <summary>Connections served at once; more wait in the kernel's backlog until a slot frees.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>Request line and headers together; a longer head is answered 431 and the connection closed.</summary>
    public int MaxHeaderBytes { get; init; } = DefaultMaxHeaderBytes;

    /// <summary>From a request's first byte to its complete head, and for writing the answer.</summary>
    public TimeSpan HeaderTimeout { get; init; } = DefaultHeaderTimeout;

    /// <summary>How long an open connection may wait for its next request's first byte (Prometheus scrapes every 15 s by default).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = DefaultKeepAliveTimeout;
}
