using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Faults;

/// <summary>What the scripted qBittorrent does now.</summary>
internal enum QBittorrentFault
{
    None,
    Down,
    ServerError,
    WrongPassword,
    Banned,
    HugeAnswer,
}

/// <summary>
/// A qBittorrent 4.x WebUI in-process on a socket inside the test's namespace: login, preferences, setPreferences,
/// one request per connection (Connection: close), and the faults of the matrix's client rows. Counts logins.
/// </summary>
internal sealed class ScriptedQBittorrent : IDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly CancellationTokenSource _stop = new();
    private Socket _listener;

    public ScriptedQBittorrent(NetworkNamespace ns)
    {
        _ns = ns;
        _listener = Listen(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = Task.Run(() => ServeAsync(_listener));
    }

    public IPEndPoint EndPoint { get; }

    public Uri BaseUrl => new($"http://{EndPoint}");

    public int ListenPort { get; set; } = 6881;

    public QBittorrentFault Fault { get; set; }

    public int Logins;

    /// <summary>Every port written with setPreferences.</summary>
    public List<int> Written { get; } = [];

    /// <summary>Down: the listener is closed (connection refused) until <see cref="Up"/>.</summary>
    public void Down() => _listener.Dispose();

    public void Up()
    {
        _listener = Listen(EndPoint);
        _ = Task.Run(() => ServeAsync(_listener));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private Socket Listen(IPEndPoint at)
    {
        var socket = _ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(at);
        socket.Listen(16);
        return socket;
    }

    private async Task ServeAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(connection));
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        using (var stream = new NetworkStream(connection))
        {
            try
            {
                var (requestLine, body) = await ReadRequestAsync(stream);
                var (status, text, cookie) = Handle(requestLine, body);
                var bytes = Encoding.UTF8.GetBytes(text);
                var head = $"HTTP/1.1 {status} X\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n{(cookie ? "Set-Cookie: SID=fake; HttpOnly; path=/\r\n" : string.Empty)}\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(bytes, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The daemon gave up on this exchange (its timeout, or the answer was too large): fine.
            }
        }
    }

    private (int Status, string Body, bool Cookie) Handle(string requestLine, string body)
    {
        if (Fault == QBittorrentFault.ServerError)
        {
            return (500, "Internal Server Error", false);
        }

        if (requestLine.Contains("/api/v2/auth/login", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref Logins);
            return Fault switch
            {
                QBittorrentFault.WrongPassword => (200, "Fails.", false),
                QBittorrentFault.Banned => (403, "Your IP address has been banned after too many failed authentication attempts.", false),
                _ => (200, "Ok.", true),
            };
        }

        if (requestLine.Contains("/api/v2/app/preferences", StringComparison.Ordinal))
        {
            var padding = Fault == QBittorrentFault.HugeAnswer ? new string('a', 2 * 1024 * 1024) : string.Empty;
            return (200, $"{{\"listen_port\":{ListenPort},\"upnp\":false,\"random_port\":false,\"pad\":\"{padding}\"}}", false);
        }

        if (requestLine.Contains("/api/v2/app/setPreferences", StringComparison.Ordinal))
        {
            var json = WebUtility.UrlDecode(body.Split('=', 2)[1]);
            var start = json.IndexOf("\"listen_port\":", StringComparison.Ordinal) + "\"listen_port\":".Length;
            var end = json.IndexOfAny([',', '}'], start);
            var port = int.Parse(json[start..end], CultureInfo.InvariantCulture);
            lock (Written)
            {
                Written.Add(port);
            }

            ListenPort = port;
            return (200, string.Empty, false);
        }

        return (200, string.Empty, false);
    }

    private async Task<(string RequestLine, string Body)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0)
            {
                throw new IOException("closed");
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                continue;
            }

            var contentLength = 0;
            foreach (var line in text[..headerEnd].Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    contentLength = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            if (length >= headerEnd + 4 + contentLength)
            {
                return (text[..text.IndexOf("\r\n", StringComparison.Ordinal)], text.Substring(headerEnd + 4, contentLength));
            }
        }
    }
}
