using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.TorrentClients.Http;

namespace ProtonPortSync.Tests.TorrentClients.Http;

/// <summary>The adapters' HTTP/1.1 handler against scripted connections in memory: what it sends, how it frames and reuses.</summary>
public sealed class Http11HandlerTests : IDisposable
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly Queue<ScriptedConnection> _connections = new();
    private readonly List<DnsEndPoint> _connectedTo = [];
    private readonly HttpMessageInvoker _http;

    public Http11HandlerTests()
    {
        _http = new HttpMessageInvoker(new Http11Handler(_time, TimeSpan.FromSeconds(30), (endPoint, _) =>
        {
            _connectedTo.Add(endPoint);
            return ValueTask.FromResult<Stream>(_connections.Count > 0 ? _connections.Dequeue() : throw new SocketException((int)SocketError.ConnectionRefused));
        }));
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Send_Get_RequestLineHostAndHeadersExactly()
    {
        var connection = Script(Ok);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:8080/api/v2/app/preferences?x=1%202");
        request.Headers.TryAddWithoutValidation("Cookie", "SID=abc");

        using var response = await SendAsync(request);

        Assert.Equal("GET /api/v2/app/preferences?x=1%202 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nCookie: SID=abc\r\n\r\n", connection.Written);
        Assert.Equal(new DnsEndPoint("127.0.0.1", 8080), Assert.Single(_connectedTo));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Send_DefaultPortAndIpv6_HostWithoutPortAndBracketsKept()
    {
        var connection = Script(Ok);

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://[::1]/x"));

        Assert.StartsWith("GET /x HTTP/1.1\r\nHost: [::1]\r\n", connection.Written, StringComparison.Ordinal);
        Assert.Equal(new DnsEndPoint("::1", 80), Assert.Single(_connectedTo));
    }

    [Fact]
    public async Task Send_PostWithForm_ContentTypeLengthAndBodyInOneRequest()
    {
        var connection = Script(Ok);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://qbt:8080/api/v2/auth/login")
        {
            Content = new FormUrlEncodedContent([new("username", "admin"), new("password", "p&ss")]),
        };

        using var response = await SendAsync(request);

        Assert.Equal(
            "POST /api/v2/auth/login HTTP/1.1\r\nHost: qbt:8080\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30\r\n\r\nusername=admin&password=p%26ss",
            connection.Written);
    }

    [Fact]
    public async Task Send_PostWithoutContent_ContentLengthZero()
    {
        var connection = Script(Ok);

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://h:1/reannounce"));

        Assert.EndsWith("Content-Length: 0\r\n\r\n", connection.Written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BearerAndBasicAuthorization_SentAsTyped()
    {
        var connection = Script(Ok);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://h:1/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "key123");

        using var response = await SendAsync(request);

        Assert.Contains("\r\nAuthorization: Bearer key123\r\n", connection.Written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SID=a\r\nX-Injected: 1")]
    [InlineData("SID=a\nX-Injected: 1")]
    [InlineData("SID=caf\u00e9")]
    public async Task Send_HeaderWithLineBreakOrNonAscii_RefusedBeforeConnecting(string cookie)
    {
        Script(Ok);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://h:1/");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(request));

        Assert.Empty(_connectedTo);
        Assert.StartsWith("The request was not sent: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ResponseHeaders_SplitBetweenResponseAndContentHeaders()
    {
        Script("HTTP/1.1 204 No Content\r\nSet-Cookie: SID=x; path=/\r\nX-Transmission-Session-Id: abc\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n");

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://h:1/login"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("No Content", response.ReasonPhrase);
        Assert.Equal(["SID=x; path=/"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(["abc"], response.Headers.GetValues("X-Transmission-Session-Id"));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Send_AnswerSplitInSmallPieces_ReadWhole()
    {
        Script("HTT", "P/1.1 200 OK\r\nContent-Le", "ngth: 11\r", "\n\r\nhello", " ", "world");

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://h:1/"));

        Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Send_KeepAliveBodyReadWhole_SecondRequestOnTheSameConnection()
    {
        var connection = Script(Ok).Then(Ok.Replace("ok", "OK", StringComparison.Ordinal));

        Assert.Equal("ok", await GetStringAsync("http://h:1/a"));
        Assert.Equal("OK", await GetStringAsync("http://h:1/b"));

        Assert.Single(_connectedTo);
        Assert.Contains("GET /b HTTP/1.1", connection.Written, StringComparison.Ordinal);
        Assert.False(connection.Disposed);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\nok")]
    public async Task Send_AnswerThatEndsTheConnection_NextRequestOnANewOne(string answer)
    {
        var first = Script(answer);
        Script(Ok);

        Assert.Equal("ok", await GetStringAsync("http://h:1/a"));
        Assert.Equal("ok", await GetStringAsync("http://h:1/b"));

        Assert.Equal(2, _connectedTo.Count);
        Assert.True(first.Disposed);
    }

    [Fact]
    public async Task Send_BodyNotReadToItsEnd_ConnectionClosedNotReused()
    {
        var first = Script("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", "lo");
        Script(Ok);

        using (var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://h:1/a")))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.Equal(3, await body.ReadAsync(new byte[16]));
        }

        Assert.Equal("ok", await GetStringAsync("http://h:1/b"));
        Assert.True(first.Disposed);
        Assert.Equal(2, _connectedTo.Count);
    }

    [Fact]
    public async Task Send_IdleLongerThanTheTimeout_NewConnection()
    {
        var first = Script(Ok).Then(Ok);
        Script(Ok);
        await GetStringAsync("http://h:1/a");

        _time.Advance(TimeSpan.FromSeconds(30));
        await GetStringAsync("http://h:1/b");

        Assert.Equal(2, _connectedTo.Count);
        Assert.True(first.Disposed);
    }

    [Fact]
    public async Task Send_IdleJustUnderTheTimeout_Reused()
    {
        Script(Ok).Then(Ok);
        await GetStringAsync("http://h:1/a");

        _time.Advance(TimeSpan.FromSeconds(29.9));
        await GetStringAsync("http://h:1/b");

        Assert.Single(_connectedTo);
    }

    [Fact]
    public async Task Send_ReusedConnectionClosedByTheServer_RetriedOnceOnANewOne()
    {
        var first = Script(Ok);
        var second = Script(Ok);
        await GetStringAsync("http://h:1/a");

        Assert.Equal("ok", await GetStringAsync("http://h:1/b"));

        Assert.Equal(2, _connectedTo.Count);
        Assert.True(first.Disposed);
        Assert.StartsWith("GET /b ", second.Written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NewConnectionClosedWithoutAnswer_ResponseEndedNoRetry()
    {
        Script();
        Script(Ok);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync("http://h:1/a"));

        Assert.Equal(HttpRequestError.ResponseEnded, e.HttpRequestError);
        Assert.Equal("The server closed the connection without answering.", e.Message);
        Assert.Single(_connectedTo);
    }

    [Fact]
    public async Task Send_ClosedInTheMiddleOfTheHead_ResponseEndedSayingSo()
    {
        Script("HTTP/1.1 200 OK\r\nContent-");

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync("http://h:1/a"));

        Assert.Equal(HttpRequestError.ResponseEnded, e.HttpRequestError);
        Assert.Contains("in the middle of its answer's head", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ContinueThenOk_TheFinalAnswer()
    {
        Script("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + Ok);

        Assert.Equal("ok", await GetStringAsync("http://h:1/a"));
    }

    [Fact]
    public async Task Send_SwitchingProtocols_Refused()
    {
        Script("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync("http://h:1/a"));

        Assert.Equal(HttpRequestError.InvalidResponse, e.HttpRequestError);
    }

    [Fact]
    public async Task Send_HeadLargerThan64KiB_LimitExceededAndConnectionClosed()
    {
        var connection = Script("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Filler: " + new string('a', 1000) + "\r\n", 70)) + "\r\n");

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync("http://h:1/a"));

        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, e.HttpRequestError);
        Assert.Contains("64 KiB", e.Message, StringComparison.Ordinal);
        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task Send_HeadJustUnder64KiB_Read()
    {
        var filler = string.Concat(Enumerable.Repeat("X-Filler: " + new string('a', 1000) + "\r\n", 64));
        Script("HTTP/1.1 200 OK\r\n" + filler + "Content-Length: 2\r\n\r\nok");

        Assert.Equal("ok", await GetStringAsync("http://h:1/a"));
    }

    [Fact]
    public async Task Send_ChunkedWithExtensionsAndTrailers_DecodedAndConnectionReused()
    {
        var connection = Script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: z\r\n\r\n").Then(Ok);

        Assert.Equal("hello world", await GetStringAsync("http://h:1/a"));
        Assert.Equal("ok", await GetStringAsync("http://h:1/b"));
        Assert.Single(_connectedTo);
        Assert.False(connection.Disposed);
    }

    [Fact]
    public async Task Send_ChunkedSplitAcrossReads_Decoded()
    {
        Script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "1", "0\r\n0123456789abcdef\r", "\n0\r", "\n\r\n");

        Assert.Equal("0123456789abcdef", await GetStringAsync("http://h:1/a"));
    }

    [Theory]
    [InlineData("5\r\nhello world\r\n0\r\n\r\n", "longer than its size")]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n", "not a hexadecimal number")]
    [InlineData("5\r\nhel", "in the middle of a chunk")]
    [InlineData("5\r\nhello\r\n", "in the middle of a chunked answer")]
    public async Task Send_BrokenChunks_IOExceptionSayingWhatAndConnectionClosed(string body, string what)
    {
        var connection = Script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body);

        var e = await Assert.ThrowsAsync<IOException>(() => GetStringAsync("http://h:1/a"));

        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task Send_ChunkSizeLineLongerThan4KiB_Refused()
    {
        Script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + new string('0', 5000) + "5\r\nhello\r\n0\r\n\r\n");

        var e = await Assert.ThrowsAsync<IOException>(() => GetStringAsync("http://h:1/a"));

        Assert.Contains("longer than 4096 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EndlessTrailers_RefusedAfterAHundred()
    {
        Script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 101)) + "\r\n");

        var e = await Assert.ThrowsAsync<IOException>(() => GetStringAsync("http://h:1/a"));

        Assert.Contains("more than 100 trailer lines", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BodyShorterThanContentLength_IOExceptionWithTheCount()
    {
        Script("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");

        var e = await Assert.ThrowsAsync<IOException>(() => GetStringAsync("http://h:1/a"));

        Assert.Contains("5 bytes before the end of its answer (Content-Length 10)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BytesBeyondContentLength_NotReadAsTheNextAnswerConnectionDropped()
    {
        var first = Script("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        Script(Ok.Replace("ok", "OK", StringComparison.Ordinal));

        Assert.Equal("ok", await GetStringAsync("http://h:1/a"));
        Assert.Equal("OK", await GetStringAsync("http://h:1/b"));

        Assert.True(first.Disposed);
    }

    [Fact]
    public async Task Send_CancelledWhileWaitingForTheAnswer_CancelsAndClosesTheConnection()
    {
        var connection = new ScriptedConnection() { HangAtEnd = true };
        _connections.Enqueue(connection);
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://h:1/a");

        var sending = SendAsync(request, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task Send_ConnectionRefused_ConnectionErrorNamingHostAndPort()
    {
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync("http://127.0.0.1:9/a"));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.EndsWith("(127.0.0.1:9)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://h/x")]
    [InlineData("/relative")]
    public async Task Send_NotAnAbsoluteHttpUrl_NotSupported(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));

        await Assert.ThrowsAsync<NotSupportedException>(() => SendAsync(request));
        Assert.Empty(_connectedTo);
    }

    [Fact]
    public async Task Send_AfterDispose_ObjectDisposed()
    {
        var handler = new Http11Handler(_time, TimeSpan.FromSeconds(30), (_, _) => ValueTask.FromResult<Stream>(new ScriptedConnection(Ok)));
        using var http = new HttpMessageInvoker(handler);
        handler.Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://h:1/a");

        await Assert.ThrowsAsync<ObjectDisposedException>(() => http.SendAsync(request, default));
    }

    [Fact]
    public async Task Dispose_IdleConnectionKept_ClosesIt()
    {
        var connection = Script(Ok);
        await GetStringAsync("http://h:1/a");

        _http.Dispose();

        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task Send_RealSocketServerClosedTheIdleConnection_SeenBeforeSendingAndNotWrittenToIt()
    {
        // The one test on a real (loopback) socket: the server answers, then closes its side (FIN) and keeps reading.
        // The handler must see that FIN on its idle connection and send the next request on a new connection, not
        // write it into the closed one (which the server would then read and count).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var finSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bytesAfterFin = -1;
        var server = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            using (var first = await listener.AcceptSocketAsync())
            {
                await ReceiveHeadAsync(first, buffer);
                await first.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
                first.Shutdown(SocketShutdown.Send);
                finSent.SetResult();
                bytesAfterFin = await first.ReceiveAsync(buffer);
            }

            using var second = await listener.AcceptSocketAsync();
            await ReceiveHeadAsync(second, buffer);
            await second.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"u8.ToArray());
        });
        using var real = new HttpMessageInvoker(new Http11Handler(_time, TimeSpan.FromSeconds(30)));

        Assert.Equal("ok", await GetStringAsync(real, $"http://127.0.0.1:{port}/a"));
        await finSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("OK", await GetStringAsync(real, $"http://127.0.0.1:{port}/b"));

        await server.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, bytesAfterFin);
    }

    private static async Task ReceiveHeadAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (Http11ResponseHead.HeadLength(buffer.AsSpan(0, read)) < 0)
        {
            var more = await socket.ReceiveAsync(buffer.AsMemory(read));
            Assert.NotEqual(0, more);
            read += more;
        }
    }

    /// <summary>Reads the body as the adapters do (a stream, so a broken body surfaces as the handler's own IOException).</summary>
    private static async Task<string> GetStringAsync(HttpMessageInvoker http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await http.SendAsync(request, default);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        return await reader.ReadToEndAsync();
    }

    private ScriptedConnection Script(params string[] segments)
    {
        var connection = new ScriptedConnection(segments);
        _connections.Enqueue(connection);
        return connection;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) => _http.SendAsync(request, cancellationToken);

    private Task<string> GetStringAsync(string url) => GetStringAsync(_http, url);
}
