namespace ProtonPortSync.Recovery;

/// <summary><c>--recovery none</c>: the daemon only reports the failures; the operator restarts the tunnel.</summary>
internal sealed class NoRecoveryAction : IRecoveryAction
{
    public string Description => "none";

    public Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }
}
