using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace ProtonPortSync.Observability;

internal sealed partial class ObservabilityServer
{
    /// <summary>
    /// One client connection: reads request heads within the limits, answers each, keeps the connection for the next
    /// request while the peer wants it, and closes it on anything unexpected (a body, a bad or oversized head).
    /// </summary>
    private sealed class Connection(Socket socket, ObservabilityEndpoints endpoints, ServerLimits limits, CancellationToken stopping) : IDisposable
    {
        private readonly byte[] _received = ArrayPool<byte>.Shared.Rent(limits.MaxHeaderBytes);
        private readonly PooledBufferWriter _body = new(8 * 1024);
        private readonly PooledBufferWriter _response = new(8 * 1024);
        private readonly CancellationTokenSource _deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private int _filled;

        public async Task RunAsync()
        {
            socket.NoDelay = true;
            for (var first = true; ; first = false)
            {
                // A fresh connection must send its request at once; an idle kept-alive one may wait for the next scrape.
                var headLength = await ReceiveHeadAsync(first ? limits.HeaderTimeout : limits.KeepAliveTimeout).ConfigureAwait(false);
                if (headLength == 0)
                {
                    return;
                }

                if (headLength < 0)
                {
                    await AnswerAsync(431, "Request head too large.", keepAlive: false).ConfigureAwait(false);
                    await DrainAsync().ConfigureAwait(false);
                    return;
                }

                var head = HttpRequestHead.TryParse(_received.AsSpan(0, headLength));
                if (head is null)
                {
                    await AnswerAsync(400, "Not an HTTP/1.x request.", keepAlive: false).ConfigureAwait(false);
                    await DrainAsync().ConfigureAwait(false);
                    return;
                }

                // Pipelined bytes after this head belong to the next request.
                _received.AsSpan(headLength, _filled - headLength).CopyTo(_received);
                _filled -= headLength;
                _body.Reset();
                var answer = endpoints.Respond(head.Method, head.Path, _body);
                await SendAsync(answer, head.Method == "HEAD", head.KeepAlive).ConfigureAwait(false);
                if (head.HasBody)
                {
                    await DrainAsync().ConfigureAwait(false);
                }

                if (!head.KeepAlive)
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            socket.Dispose();
            _deadline.Dispose();
            _body.Dispose();
            _response.Dispose();
            ArrayPool<byte>.Shared.Return(_received);
        }

        /// <summary>Length of the next complete head; 0 when the peer closed or went quiet first; -1 when it is too large.</summary>
        private async Task<int> ReceiveHeadAsync(TimeSpan firstByteTimeout)
        {
            var limit = Math.Min(_received.Length, limits.MaxHeaderBytes);
            Arm(firstByteTimeout);
            while (true)
            {
                var length = HttpRequestHead.HeadLength(_received.AsSpan(0, _filled));
                if (length > 0)
                {
                    return length;
                }

                if (_filled >= limit)
                {
                    return -1;
                }

                int read;
                try
                {
                    read = await socket.ReceiveAsync(_received.AsMemory(_filled, limit - _filled), SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    return 0;
                }

                if (read == 0)
                {
                    return 0;
                }

                if (_filled == 0)
                {
                    // The first byte of a request: from here the whole head must arrive within the header timeout.
                    Arm(limits.HeaderTimeout);
                }

                _filled += read;
            }
        }

        /// <summary>
        /// Closing with unread bytes in the receive queue makes the kernel send a reset, which can destroy the answer
        /// before the peer reads it: stop sending, then read and discard what the peer still sends (bounded in bytes
        /// and by the header timeout) before the close.
        /// </summary>
        private async Task DrainAsync()
        {
            socket.Shutdown(SocketShutdown.Send);
            Arm(limits.HeaderTimeout);
            for (var total = 0; total < 64 * 1024;)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(_received.AsMemory(), SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }

        private Task AnswerAsync(int statusCode, string text, bool keepAlive)
        {
            _body.Reset();
            var span = _body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
            var written = Encoding.UTF8.GetBytes(text + "\n", span);
            _body.Advance(written);
            return SendAsync(new EndpointResponse(statusCode, "text/plain; charset=utf-8"), headOnly: false, keepAlive);
        }

        private async Task SendAsync(EndpointResponse answer, bool headOnly, bool keepAlive)
        {
            _response.Reset();
            var head = $"HTTP/1.1 {answer.StatusCode} {Reason(answer.StatusCode)}\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {_body.WrittenCount}\r\nCache-Control: no-store\r\n"
                + (answer.MethodNotAllowed ? $"Allow: {ObservabilityEndpoints.AllowedMethods}\r\n" : string.Empty)
                + (keepAlive ? string.Empty : "Connection: close\r\n")
                + "\r\n";
            _response.Advance(Encoding.ASCII.GetBytes(head, _response.GetSpan(head.Length)));
            if (!headOnly)
            {
                _response.Write(_body.WrittenMemory.Span);
            }

            // A peer that does not read its answer gets the header timeout to take it, then loses the connection.
            Arm(limits.HeaderTimeout);
            var pending = _response.WrittenMemory;
            while (!pending.IsEmpty)
            {
                var sent = await socket.SendAsync(pending, SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                pending = pending[sent..];
            }
        }

        private void Arm(TimeSpan timeout)
        {
            if (!_deadline.TryReset())
            {
                throw new OperationCanceledException(stopping);
            }

            _deadline.CancelAfter(timeout);
        }

        private static string Reason(int statusCode) => statusCode switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            431 => "Request Header Fields Too Large",
            503 => "Service Unavailable",
            _ => "Error",
        };
    }
}
