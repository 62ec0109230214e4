using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace ProtonPortSync.TorrentClients.Http;

/// <summary>
/// The adapters' HTTP/1.1 stack in place of <see cref="SocketsHttpHandler"/>: one request at a time on one
/// keep-alive connection (an adapter never sends two at once), TLS through <see cref="SslStream"/> only for https://,
/// no proxy, no redirects, no cookies, no decompression. It exists for the footprint (issue 10): SocketsHttpHandler's
/// pool, proxy detection and HTTP/2 code made up most of the ~2 MB the HTTP path added to the daemon's resident
/// size. Answers are parsed strictly (<see cref="Http11ResponseHead"/>); the caller bounds the body it reads.
/// Failures are <see cref="HttpRequestException"/>s with the same <see cref="HttpRequestError"/> kinds as .NET's own
/// handler, so the adapters' handling is the same for both.
/// </summary>
internal sealed class Http11Handler : HttpMessageHandler
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleTimeout;
    private readonly Func<DnsEndPoint, CancellationToken, ValueTask<Stream>> _connect;
    private Http11Connection? _idle;
    private volatile bool _disposed;

    /// <param name="timeProvider">The clock of the idle timeout.</param>
    /// <param name="idleTimeout">An idle connection older than this is closed rather than reused.</param>
    /// <param name="connect">Opens a connection (tests: inside a network namespace); null: a TCP socket.</param>
    public Http11Handler(TimeProvider timeProvider, TimeSpan idleTimeout, Func<DnsEndPoint, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout;
        _connect = connect ?? ConnectSocketAsync;
    }

    /// <summary>Decides on an https:// server's certificate; null: the system's default validation.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new NotSupportedException($"Only absolute http:// and https:// URLs can be requested, not \"{uri}\".");
        }

        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var message = Http11RequestHead.Format(request, uri, body);
        var bodyless = request.Method == HttpMethod.Head;
        while (true)
        {
            var connection = TakeIdle();
            var reused = connection is not null;
            connection ??= await ConnectAsync(uri, cancellationToken);
            try
            {
                await connection.SendAsync(message, cancellationToken);
                var head = await connection.ReadHeadAsync(bodyless, cancellationToken);
                while (head.StatusCode is >= 100 and < 200)
                {
                    if (head.StatusCode == 101)
                    {
                        throw new HttpRequestException(HttpRequestError.InvalidResponse, "The server switched protocols (101), which was not asked for.");
                    }

                    head = await connection.ReadHeadAsync(bodyless, cancellationToken);
                }

                return Response(request, head, connection);
            }
            catch (Exception e) when (reused && !connection.ReceivedAny && !cancellationToken.IsCancellationRequested
                                      && e is IOException or HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                // The server closed the idle connection as the request went out: once more on a new one, as .NET does.
                connection.Dispose();
            }
            catch (IOException e)
            {
                connection.Dispose();
                throw new HttpRequestException(HttpRequestError.Unknown, $"The connection broke: {e.Message}", e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            Interlocked.Exchange(ref _idle, null)?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async ValueTask<Stream> ConnectSocketAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private HttpResponseMessage Response(HttpRequestMessage request, Http11ResponseHead head, Http11Connection connection)
    {
        var response = new HttpResponseMessage((HttpStatusCode)head.StatusCode)
        {
            Version = head.Version,
            ReasonPhrase = head.ReasonPhrase,
            RequestMessage = request,
            Content = new StreamContent(new Http11BodyStream(connection, head, Release)),
        };
        foreach (var (name, value) in head.Fields)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private async ValueTask<Http11Connection> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var host = uri.DnsSafeHost;
        Stream stream;
        try
        {
            stream = await _connect(new DnsEndPoint(host, uri.Port), cancellationToken);
        }
        catch (SocketException e)
        {
            var kind = e.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData
                ? HttpRequestError.NameResolutionError
                : HttpRequestError.ConnectionError;
            throw new HttpRequestException(kind, $"{e.Message} ({host}:{uri.Port})", e);
        }

        var socket = (stream as NetworkStream)?.Socket;
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return new Http11Connection(stream, socket);
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host, RemoteCertificateValidationCallback = CertificateValidation },
                cancellationToken);
            return new Http11Connection(tls, socket);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync();
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The TLS connection could not be established, see the inner exception.", e);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private Http11Connection? TakeIdle()
    {
        var connection = Interlocked.Exchange(ref _idle, null);
        if (connection is not null && (_timeProvider.GetElapsedTime(connection.IdleSince) >= _idleTimeout || !connection.LooksReusable()))
        {
            connection.Dispose();
            return null;
        }

        return connection;
    }

    /// <summary>Keeps a connection whose answer was read whole, unless one is kept already or the handler is gone.</summary>
    private void Release(Http11Connection connection)
    {
        connection.IdleSince = _timeProvider.GetTimestamp();
        if (_disposed || Interlocked.CompareExchange(ref _idle, connection, null) is not null)
        {
            connection.Dispose();
        }
        else if (_disposed)
        {
            Interlocked.Exchange(ref _idle, null)?.Dispose();
        }
    }
}
