using System.Net.Sockets;

namespace ProtonPortSync.TorrentClients.Http;

/// <summary>
/// One HTTP/1.1 connection: a stream (a socket's, or TLS over it) and a read buffer shared by the response head and
/// the body after it. It carries one exchange at a time; <see cref="Http11Handler"/> keeps at most one idle.
/// </summary>
internal sealed class Http11Connection : IDisposable
{
    private readonly Stream _stream;
    private readonly Socket? _socket;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <param name="stream">The connection's stream, owned from now on.</param>
    /// <param name="socket">Its socket when known, to see whether the server closed an idle connection.</param>
    public Http11Connection(Stream stream, Socket? socket)
    {
        _stream = stream;
        _socket = socket;
    }

    /// <summary>When the connection last finished an exchange (the handler's clock).</summary>
    public long IdleSince { get; set; }

    /// <summary>Whether any byte of the current answer has arrived (a reused connection that fails before may be retried).</summary>
    public bool ReceivedAny { get; private set; }

    /// <summary>
    /// Whether an idle connection still looks usable: nothing buffered, and its socket has neither data nor an
    /// end-of-stream pending (a server that closed it, or sent something unasked, makes the socket readable).
    /// </summary>
    public bool LooksReusable()
    {
        if (_start != _end)
        {
            return false;
        }

        try
        {
            return _socket is null || (_socket.Connected && !_socket.Poll(0, SelectMode.SelectRead));
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Sends one whole request (head and body in one write) and starts a new exchange.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        ReceivedAny = false;
        await _stream.WriteAsync(request, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads a response head (the status line through the blank line) and parses it.</summary>
    /// <exception cref="HttpRequestException">The server closed early, sent too large a head, or not HTTP.</exception>
    public async ValueTask<Http11ResponseHead> ReadHeadAsync(bool bodyless, CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = Http11ResponseHead.HeadLength(_buffer.AsSpan(_start, _end - _start));
            if (length >= 0)
            {
                var head = Http11ResponseHead.Parse(_buffer.AsSpan(_start, length), bodyless);
                _start += length;
                return head;
            }

            if (_end - _start >= Http11ResponseHead.MaxHeadBytes)
            {
                throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"The server's answer has a head larger than {Http11ResponseHead.MaxHeadBytes / 1024} KiB.");
            }

            if (await FillAsync(Http11ResponseHead.MaxHeadBytes, cancellationToken) == 0)
            {
                throw new HttpRequestException(
                    HttpRequestError.ResponseEnded,
                    _end == _start && !ReceivedAny ? "The server closed the connection without answering." : "The server closed the connection in the middle of its answer's head.");
            }
        }
    }

    /// <summary>Copies buffered bytes, or reads from the stream when none are buffered; 0 at the end of the stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            var read = await _stream.ReadAsync(destination, cancellationToken);
            ReceivedAny |= read > 0;
            return read;
        }

        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    /// <summary>
    /// Reads one CRLF-terminated line of at most <paramref name="maxLength"/> bytes (chunk sizes, trailers) and
    /// returns it without the CRLF; the bytes stay valid until the next read.
    /// </summary>
    /// <exception cref="IOException">The stream ended first, or the line is longer (<paramref name="tooLong"/> says so).</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(int maxLength, string tooLong, CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0 && end <= maxLength)
            {
                var line = _buffer.AsMemory(_start, end);
                _start += end + 2;
                return line;
            }

            if (end > maxLength || _end - _start > maxLength + 1)
            {
                throw new IOException(tooLong);
            }

            if (await FillAsync(maxLength + 2, cancellationToken) == 0)
            {
                throw new IOException("The server closed the connection in the middle of a chunked answer.");
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Reads more into the buffer, keeping at most <paramref name="limit"/> unread bytes; 0 at the end of the stream.</summary>
    private async ValueTask<int> FillAsync(int limit, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, limit + 4096));
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        ReceivedAny |= read > 0;
        _end += read;
        return read;
    }
}
