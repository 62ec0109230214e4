using System.Globalization;

namespace ProtonPortSync.TorrentClients;

internal abstract partial class HttpTorrentClient
{
    /// <summary>
    /// One HTTP exchange, bounded by the request timeout and the caller's token. Transport failures and the timeout
    /// become <see cref="TorrentClientFailure.Unreachable"/> (the loop retries next cycle); the caller's own
    /// cancellation propagates. <paramref name="peer"/> is who answers ("deluge-web"), <paramref name="what"/> the call.
    /// </summary>
    protected async Task<HttpResponseMessage> SendBoundedAsync(HttpRequestMessage request, string peer, Uri url, string what, TimeSpan requestTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = new CancellationTokenSource(requestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            LogAnswered(what, (int)response.StatusCode);
            return response;
        }
        catch (HttpRequestException e)
        {
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, $"Cannot reach {peer} at {url} ({what}): {e.Message}", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, string.Create(CultureInfo.InvariantCulture, $"{peer} at {url} did not answer {what} within {requestTimeout.TotalSeconds:0.#} s."), innerException: e);
        }
    }

    /// <summary>Logs an HTTP answer with the adapter's own event id.</summary>
    protected abstract void LogAnswered(string what, int status);
}
