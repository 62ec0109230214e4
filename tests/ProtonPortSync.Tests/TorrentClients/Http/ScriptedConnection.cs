using System.Text;

namespace ProtonPortSync.Tests.TorrentClients.Http;

/// <summary>
/// One connection of a scripted HTTP server in memory. Each request written gets the next scripted answer; each read
/// returns the next segment of it (so a test decides where the bytes break), then the end of the stream, or, with
/// <see cref="HangAtEnd"/>, a read that waits until its token is cancelled. Records what was written and whether it
/// was disposed.
/// </summary>
internal sealed class ScriptedConnection : Stream
{
    private readonly List<Queue<byte[]>> _answers = [];
    private readonly MemoryStream _written = new();
    private int _requests;

    /// <param name="segments">The answer to the first request, in the pieces reads return.</param>
    public ScriptedConnection(params string[] segments)
    {
        Then(segments);
    }

    /// <summary>Adds the answer to the next request on this connection.</summary>
    public ScriptedConnection Then(params string[] segments)
    {
        _answers.Add(new Queue<byte[]>(segments.Select(Encoding.Latin1.GetBytes)));
        return this;
    }

    /// <summary>After the last segment, reads wait (for the caller's cancellation) instead of ending the stream.</summary>
    public bool HangAtEnd { get; init; }

    public bool Disposed { get; private set; }

    public string Written => Encoding.Latin1.GetString(_written.ToArray());

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        var segments = _requests > 0 && _requests <= _answers.Count ? _answers[_requests - 1] : new Queue<byte[]>();
        if (segments.Count == 0)
        {
            if (HangAtEnd)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return 0;
        }

        var segment = segments.Peek();
        var count = Math.Min(segment.Length, buffer.Length);
        segment.AsMemory(0, count).CopyTo(buffer);
        segments.Dequeue();
        if (count < segment.Length)
        {
            // The rest of a segment larger than the reader's buffer comes first next time.
            var rest = segments.ToArray();
            segments.Clear();
            segments.Enqueue(segment[count..]);
            foreach (var item in rest)
            {
                segments.Enqueue(item);
            }
        }

        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        _written.Write(buffer.Span);
        _requests++;
        return ValueTask.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
