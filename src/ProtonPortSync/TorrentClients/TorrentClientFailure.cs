namespace ProtonPortSync.TorrentClients;

/// <summary>Why a torrent client call failed; drives the sync loop's backoff.</summary>
internal enum TorrentClientFailure
{
    /// <summary>Connection refused, timed out, or a 5xx: the client is down or restarting. Retry next cycle.</summary>
    Unreachable,

    /// <summary>The credentials were refused. Do not retry until the long backoff ends or the secret file changes.</summary>
    BadCredentials,

    /// <summary>The client banned our address (qBittorrent: 403 at login). Wait out the ban.</summary>
    Banned,

    /// <summary>The client answered something we cannot read (wrong status, wrong JSON, missing field).</summary>
    InvalidResponse,

    /// <summary>The port was written but the client reports another one.</summary>
    ReadBackMismatch,

    /// <summary>The adapter refused to call the client because an earlier failure's backoff has not ended.</summary>
    BackingOff,

    /// <summary>
    /// The client's TLS certificate is not trusted (unknown CA, name mismatch, expired). An operator must act (give the CA
    /// file, fix the URL or the certificate); retried next cycle, since the file is read again at each handshake.
    /// </summary>
    CertificateRefused,
}
