namespace ProtonPortSync.TorrentClients;

/// <summary>
/// Decides whether a login may be attempted. qBittorrent bans an address for an hour after 5 failed logins
/// (WebUI\MaxAuthenticationFailCount=5, WebUI\BanDuration=3600), and a ban also refuses the right password, so a
/// refused secret is never sent again until a long backoff ends (15 min, doubling to 4 h) or the secret file's
/// content changes; a ban is waited out whatever the file says, since qBittorrent bans the address, not the password.
/// </summary>
internal sealed class LoginGate(TimeProvider timeProvider)
{
    public static readonly TimeSpan FirstRefusalBackoff = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxRefusalBackoff = TimeSpan.FromHours(4);
    public static readonly TimeSpan BanBackoff = TimeSpan.FromHours(1);

    private DateTimeOffset? _notBefore;
    private string? _refusedFingerprint;
    private int _consecutiveRefusals;

    /// <summary>Why logins are held back; meaningful while <see cref="NotBefore"/> is in the future.</summary>
    public TorrentClientFailure Reason { get; private set; }

    public DateTimeOffset? NotBefore => _notBefore is { } t && t > timeProvider.GetUtcNow() ? t : null;

    /// <summary>May a login with the secret of this fingerprint be attempted now?</summary>
    public LoginGateDecision Check(string secretFingerprint)
    {
        if (NotBefore is null)
        {
            return LoginGateDecision.Allowed;
        }

        if (Reason == TorrentClientFailure.BadCredentials && !string.Equals(secretFingerprint, _refusedFingerprint, StringComparison.Ordinal))
        {
            return LoginGateDecision.AllowedSecretChanged;
        }

        return LoginGateDecision.Blocked;
    }

    /// <summary>Records a refused secret; returns when the next attempt with the same secret is allowed.</summary>
    public DateTimeOffset RecordRefused(string secretFingerprint)
    {
        _consecutiveRefusals++;
        var backoff = FirstRefusalBackoff * Math.Pow(2, Math.Min(_consecutiveRefusals - 1, 10));
        if (backoff > MaxRefusalBackoff)
        {
            backoff = MaxRefusalBackoff;
        }

        _refusedFingerprint = secretFingerprint;
        Reason = TorrentClientFailure.BadCredentials;
        _notBefore = timeProvider.GetUtcNow() + backoff;
        return _notBefore.Value;
    }

    /// <summary>Records a ban (403 at login); returns when it should have ended.</summary>
    public DateTimeOffset RecordBanned()
    {
        Reason = TorrentClientFailure.Banned;
        _notBefore = timeProvider.GetUtcNow() + BanBackoff;
        return _notBefore.Value;
    }

    public void RecordSuccess()
    {
        _consecutiveRefusals = 0;
        _refusedFingerprint = null;
        _notBefore = null;
    }
}

internal enum LoginGateDecision
{
    Allowed,
    AllowedSecretChanged,
    Blocked,
}
