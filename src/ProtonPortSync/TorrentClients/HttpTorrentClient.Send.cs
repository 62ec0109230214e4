using System.Buffers;
using System.Globalization;

namespace ProtonPortSync.TorrentClients;

internal abstract partial class HttpTorrentClient
{
    /// <summary>
    /// The largest answer read from a client. qBittorrent's preferences are ~10 KB; a bigger answer is a broken or
    /// hostile peer, and reading it whole took the daemon to 1.58 GB resident (issue 9).
    /// </summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    /// <summary>The most an answer's buffer is given up front from its Content-Length: below the large-object heap's 85,000 bytes.</summary>
    private const int PresizeLimit = 64 * 1024;

    /// <summary>
    /// One HTTP exchange, bounded by the request timeout and the caller's token, its body read into memory up to
    /// <see cref="MaxAnswerBytes"/>. Transport failures and the timeout become <see cref="TorrentClientFailure.Unreachable"/>
    /// (the loop retries next cycle), a larger answer <see cref="TorrentClientFailure.InvalidResponse"/> saying so; the
    /// caller's own cancellation propagates. <paramref name="peer"/> is who answers ("deluge-web"), <paramref name="what"/> the call.
    /// </summary>
    protected async Task<HttpResponseMessage> SendBoundedAsync(HttpRequestMessage request, string peer, Uri url, string what, TimeSpan requestTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = new CancellationTokenSource(requestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            await BufferBoundedAsync(response, peer, url, what, linked.Token);
            LogAnswered(what, (int)response.StatusCode);
            return response;
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            response?.Dispose();
            throw TlsFailure(e, peer, url, what);
        }
        catch (HttpRequestException e)
        {
            response?.Dispose();
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, $"Cannot reach {peer} at {url} ({what}): {PeerText.Clean(e.Message)}", innerException: e);
        }
        catch (IOException e)
        {
            response?.Dispose();
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, $"{peer} at {url} broke off its answer to {what}: {PeerText.Clean(e.Message)}", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, string.Create(CultureInfo.InvariantCulture, $"{peer} at {url} did not answer {what} within {requestTimeout.TotalSeconds:0.#} s."), innerException: e);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the streamed body by the same bytes in memory, refusing more than <see cref="MaxAnswerBytes"/>.</summary>
    private async Task BufferBoundedAsync(HttpResponseMessage response, string peer, Uri url, string what, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            throw TooLarge(peer, url, what, content.Headers.ContentLength.Value);
        }

        await using var body = await content.ReadAsStreamAsync(cancellationToken);

        // Sized by Content-Length when the peer sent one (qBittorrent does): one array of the answer's size per answer,
        // not a doubling series; the read chunk is pooled. Every cycle reads two answers, so this is most of what a
        // cycle allocates. Only up to PresizeLimit, so that a peer announcing a body it never sends cannot make every
        // cycle allocate a large-object array; a bigger answer grows from there, bounded as before.
        var buffer = new MemoryStream(content.Headers.ContentLength is { } length ? (int)Math.Min(length, PresizeLimit) : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxAnswerBytes)
                {
                    throw TooLarge(peer, url, what, null);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var bounded = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in content.Headers)
        {
            bounded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = bounded;
        content.Dispose();
    }

    private TorrentClientException TooLarge(string peer, Uri url, string what, long? length)
        => new(
            Name,
            TorrentClientFailure.InvalidResponse,
            string.Create(CultureInfo.InvariantCulture, $"{peer} at {url} sent an answer too large to {what} ({(length is { } l ? $"{l} bytes" : "more than that")}; at most {MaxAnswerBytes} bytes are read); is the URL pointing at the right service?"));

    /// <summary>Logs an HTTP answer with the adapter's own event id.</summary>
    protected abstract void LogAnswered(string what, int status);
}
