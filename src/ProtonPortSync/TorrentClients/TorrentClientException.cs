namespace ProtonPortSync.TorrentClients;

/// <summary>An expected failure of a torrent client call. The message never contains a secret.</summary>
internal sealed class TorrentClientException : Exception
{
    public TorrentClientException(string clientName, TorrentClientFailure failure, string message, DateTimeOffset? retryNotBefore = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ClientName = clientName;
        Failure = failure;
        RetryNotBefore = retryNotBefore;
    }

    public TorrentClientException()
        : this("unknown", TorrentClientFailure.InvalidResponse, "Torrent client call failed.")
    {
    }

    public TorrentClientException(string message)
        : this("unknown", TorrentClientFailure.InvalidResponse, message)
    {
    }

    public TorrentClientException(string message, Exception innerException)
        : this("unknown", TorrentClientFailure.InvalidResponse, message, null, innerException)
    {
    }

    public string ClientName { get; }

    public TorrentClientFailure Failure { get; }

    /// <summary>When set, the adapter will refuse calls before this time (bad password, ban).</summary>
    public DateTimeOffset? RetryNotBefore { get; }
}
