namespace ProtonPortSync.TorrentClients;

/// <summary>
/// What the HTTP adapters (qBittorrent, Transmission, Deluge) share: the HttpClient, one call at a time, ports
/// validated before anything is sent, get/set/rebind as template methods, and a login gate in front of secret files
/// (<c>HttpTorrentClient.Secrets.cs</c>). An adapter supplies the calls themselves and its log messages, so every
/// event id stays the adapter's own.
/// </summary>
internal abstract partial class HttpTorrentClient : ITorrentClient, IDisposable
{
    public const int MinListenPort = 1024;
    public const int MaxListenPort = 65535;

    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly string _displayName;
    private readonly string _portName;
    private readonly string _portRefusalHint;

    /// <param name="name">The short name for logs and metrics labels (<see cref="ITorrentClient.Name"/>).</param>
    /// <param name="displayName">The client as an operator calls it in messages ("qBittorrent").</param>
    /// <param name="portName">What the port is called in that client ("Transmission peer port").</param>
    /// <param name="portRefusalHint">Appended to the out-of-range message, e.g. " (Transmission would store 70000 as 4464)".</param>
    /// <param name="options">Validated here; every error is reported at once.</param>
    /// <param name="timeProvider">The clock of the login gate.</param>
    /// <param name="handler">
    /// The HTTP stack; the client takes ownership and disposes it. It should not manage cookies itself
    /// (<c>SocketsHttpHandler.UseCookies = false</c>): adapters keep their session cookie. Null: a default handler.
    /// For an https:// URL the certificate check goes into the <see cref="SocketsHttpHandler"/> at the end of the
    /// chain (<c>HttpTorrentClient.Tls.cs</c>).
    /// </param>
    protected HttpTorrentClient(
        string name,
        string displayName,
        string portName,
        string portRefusalHint,
        ITorrentClientOptions options,
        TimeProvider timeProvider,
        HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        Name = name;
        _displayName = displayName;
        _portName = portName;
        _portRefusalHint = portRefusalHint;
        LoginGate = new LoginGate(timeProvider);
        handler ??= new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        Trust = TrustFor(options, displayName, handler);
        Http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name { get; }

    /// <summary>No timeout of its own: each exchange is bounded by the adapter's request timeout and token.</summary>
    protected HttpClient Http { get; }

    /// <summary>Holds logins back after a refused secret or a ban.</summary>
    protected LoginGate LoginGate { get; }

    public async Task<int> GetListenPortAsync(CancellationToken cancellationToken)
    {
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await BeforeCallAsync(cancellationToken);
            return await ReadListenPortCoreAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await BeforeCallAsync(cancellationToken);
            await WriteListenPortCoreAsync(port, cancellationToken);
            await AfterPortChangeAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task RebindAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        // Setting the port a client already has leaves its listener alone (qBittorrent ignores the set outright),
        // and after a tunnel flap that listener may be dead: move away and back to make it bind again.
        var temporary = port < MaxListenPort ? port + 1 : port - 1;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            LogRebinding(port, temporary);
            await BeforeCallAsync(cancellationToken);
            await WriteListenPortCoreAsync(temporary, cancellationToken);
            await WriteListenPortCoreAsync(port, cancellationToken);
            await AfterPortChangeAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="call"/> alone, for reads an adapter offers beyond <see cref="ITorrentClient"/>.</summary>
    protected async Task<T> SerializedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await call(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>Reads the port the client listens on; called alone, after <see cref="BeforeCallAsync"/>.</summary>
    protected abstract Task<int> ReadListenPortCoreAsync(CancellationToken cancellationToken);

    /// <summary>Writes a validated port, turns off the client's own forwarding and random port, reads the port back.</summary>
    protected abstract Task WriteListenPortCoreAsync(int port, CancellationToken cancellationToken);

    /// <summary>Runs before every get, set and rebind (Deluge: connect deluge-web to deluged).</summary>
    protected virtual Task BeforeCallAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after a successful set or rebind (qBittorrent: reannounce).</summary>
    protected virtual Task AfterPortChangeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Logs the start of a rebind under the adapter's own event id.</summary>
    protected abstract void LogRebinding(int port, int temporaryPort);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
            _serial.Dispose();
        }
    }

    private void ValidatePort(int port)
    {
        if (port is < MinListenPort or > MaxListenPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"A {_portName} must be {MinListenPort}–{MaxListenPort}; {port} was refused before sending{_portRefusalHint}.");
        }
    }
}
