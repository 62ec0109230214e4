namespace ProtonPortSync.NatPmp;

/// <summary>
/// The last "seconds since start of epoch" (SSSoE) seen from a gateway and when it arrived, with the reboot test of
/// RFC 6886 §3.6: "If the SSSoE in the newly received packet is less than the client's conservative estimate by
/// more than 2 seconds, then the client concludes that the NAT gateway has undergone a reboot or other loss of port
/// mapping state". The estimate is the last SSSoE plus 7/8 of the local time elapsed since it arrived.
/// </summary>
public readonly record struct NatPmpEpoch(uint SecondsSinceEpoch, DateTimeOffset ReceivedAt)
{
    /// <summary>How far below the conservative estimate a new SSSoE may be before it means a reset (§3.6).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True when <paramref name="secondsSinceEpoch"/>, received at <paramref name="receivedAt"/>, shows that the
    /// gateway lost its state since <paramref name="previous"/>. False for the first reply ever seen.
    /// </summary>
    public static bool IsReset(NatPmpEpoch? previous, uint secondsSinceEpoch, DateTimeOffset receivedAt)
    {
        if (previous is not { } last)
        {
            return false;
        }

        var elapsed = receivedAt - last.ReceivedAt;
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        var expected = last.SecondsSinceEpoch + (elapsed.TotalSeconds * 7 / 8);
        return secondsSinceEpoch < expected - Tolerance.TotalSeconds;
    }
}
