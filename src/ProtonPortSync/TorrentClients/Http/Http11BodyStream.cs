using System.Buffers.Text;
using System.Globalization;

namespace ProtonPortSync.TorrentClients.Http;

/// <summary>
/// The body of one answer, read from its connection as framed (a length, chunks, or until the server closes). Read
/// to its end, it hands the connection back to the handler for the next request; disposed earlier (or after a
/// failure), it closes it, since the rest of the answer would otherwise be read as the next one. The caller bounds
/// how much it reads (<c>HttpTorrentClient.MaxAnswerBytes</c>).
/// </summary>
internal sealed class Http11BodyStream : Stream
{
    /// <summary>The longest chunk-size or trailer line accepted.</summary>
    private const int MaxLineBytes = 4096;

    /// <summary>The most trailer lines after the last chunk.</summary>
    private const int MaxTrailerLines = 100;

    private const string LineTooLong = "The server's chunked answer has a chunk-size or trailer line longer than 4096 bytes.";
    private const string ChunkTooLong = "A chunk of the server's answer is longer than its size says.";

    private readonly Http11Connection _connection;
    private readonly Http11ResponseHead _head;
    private readonly Action<Http11Connection> _release;
    private long _remaining;
    private bool _done;
    private bool _failed;
    private bool _disposed;

    /// <param name="release">Takes the connection back once the body was read whole over a keep-alive connection.</param>
    public Http11BodyStream(Http11Connection connection, Http11ResponseHead head, Action<Http11Connection> release)
    {
        _connection = connection;
        _head = head;
        _release = release;
        _remaining = head.Framing == BodyFraming.Length ? head.ContentLength : 0;
        _done = head.Framing == BodyFraming.None || (head.Framing == BodyFraming.Length && _remaining == 0);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            var read = _head.Framing switch
            {
                BodyFraming.Length => await ReadLengthAsync(buffer, cancellationToken),
                BodyFraming.Chunked => await ReadChunkedAsync(buffer, cancellationToken),
                _ => await ReadUntilCloseAsync(buffer, cancellationToken),
            };
            return read;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_done && !_failed && _head.KeepAlive)
            {
                _release(_connection);
            }
            else
            {
                _connection.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadLengthAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _connection.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        if (read == 0)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"The server closed the connection {_remaining} bytes before the end of its answer (Content-Length {_head.ContentLength})."));
        }

        _remaining -= read;
        _done = _remaining == 0;
        return read;
    }

    private async ValueTask<int> ReadChunkedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_remaining == 0)
        {
            // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; the last chunk has size 0 and trailers follow.
            var size = ParseChunkSize((await _connection.ReadLineAsync(MaxLineBytes, LineTooLong, cancellationToken)).Span);
            if (size == 0)
            {
                await SkipTrailersAsync(cancellationToken);
                _done = true;
                return 0;
            }

            _remaining = size;
        }

        var read = await _connection.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection in the middle of a chunk of its answer.");
        }

        _remaining -= read;
        if (_remaining == 0 && (await _connection.ReadLineAsync(0, ChunkTooLong, cancellationToken)).Length != 0)
        {
            throw new IOException(ChunkTooLong);
        }

        return read;
    }

    private async ValueTask<int> ReadUntilCloseAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _connection.ReadAsync(buffer, cancellationToken);
        _done = read == 0;
        return read;
    }

    private async ValueTask SkipTrailersAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxTrailerLines; i++)
        {
            if ((await _connection.ReadLineAsync(MaxLineBytes, LineTooLong, cancellationToken)).IsEmpty)
            {
                return;
            }
        }

        throw new IOException($"The server sent more than {MaxTrailerLines} trailer lines after its answer.");
    }

    /// <summary>The hexadecimal size before any ';' extension; at most 15 digits, so a peer cannot overflow it.</summary>
    internal static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var digits = (semicolon < 0 ? line : line[..semicolon]).TrimEnd(" \t"u8);
        if (digits.IsEmpty || digits.Length > 15 || !Utf8Parser.TryParse(digits, out long size, out var used, 'X') || used != digits.Length)
        {
            throw new IOException("The server's chunked answer has a chunk size that is not a hexadecimal number.");
        }

        return size;
    }
}
