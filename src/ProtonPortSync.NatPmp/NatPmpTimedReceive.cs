namespace ProtonPortSync.NatPmp;

/// <summary>A receive bounded by a timer of a <see cref="TimeProvider"/>: the default of <see cref="INatPmpTransport"/>.</summary>
internal static class NatPmpTimedReceive
{
    /// <summary>
    /// Receives through <paramref name="transport"/> until <paramref name="timeout"/> passes on
    /// <paramref name="timeProvider"/>'s clock (then null); the caller's cancellation propagates.
    /// </summary>
    public static async ValueTask<NatPmpDatagram?> WithTimerAsync(INatPmpTransport transport, Memory<byte> buffer, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        using var timer = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await transport.ReceiveAsync(buffer, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
