using System.Net;

namespace ProtonPortSync.Recovery;

/// <summary>
/// What the loop knows when it asks for a recovery: the port it still holds (null once the lease lapsed or before
/// the first grant), the gateway's public address, and the failures in a row. The recovery command gets them as
/// <see cref="Processes.PortVariables"/>.
/// </summary>
internal sealed record RecoveryContext(int? Port, IPAddress? PublicAddress, int ConsecutiveFailures)
{
    /// <summary>Nothing known (tests, and callers outside the loop).</summary>
    public static RecoveryContext None { get; } = new(null, null, 0);
}
