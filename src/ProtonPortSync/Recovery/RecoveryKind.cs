namespace ProtonPortSync.Recovery;

/// <summary>How the daemon gets the tunnel back (<c>--recovery</c>).</summary>
internal enum RecoveryKind
{
    /// <summary>Ask systemd over D-Bus to restart the tunnel's unit.</summary>
    Systemd,

    /// <summary>Run the <c>--recovery-command</c>.</summary>
    Command,

    /// <summary>Only report.</summary>
    None,
}
