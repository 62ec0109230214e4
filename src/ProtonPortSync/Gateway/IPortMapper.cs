using System.Net;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Gateway;

/// <summary>The loop's view of the gateway: map, delete, ask the public address. Throws <see cref="NatPmpException"/>.</summary>
internal interface IPortMapper
{
    Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort suggestedExternalPort, TimeSpan timeout, CancellationToken cancellationToken);

    Task DeleteAsync(NatPmpProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken);

    Task<IPAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Drops the socket so the next call opens a new one (after the tunnel was restarted).</summary>
    void Reset();
}
