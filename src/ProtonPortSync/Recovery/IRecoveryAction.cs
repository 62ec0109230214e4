namespace ProtonPortSync.Recovery;

/// <summary>What the daemon does after too many consecutive failed renewals: restart the tunnel, or nothing.</summary>
internal interface IRecoveryAction
{
    /// <summary>For logs: "restart wireguard-wg0.service over D-Bus", "run /usr/local/bin/reconnect", "none".</summary>
    string Description { get; }

    /// <summary>Runs the action once. Throws <see cref="RecoveryException"/> when it could not be carried out.</summary>
    Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken);
}
