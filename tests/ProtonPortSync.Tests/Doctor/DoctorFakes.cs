using System.Net;
using ProtonPortSync.Doctor;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Doctor;

internal sealed class FixedLinks(params NetworkLink[] links) : INetworkLinks
{
    public IReadOnlyList<NetworkLink> GetLinks() => links;
}

/// <summary>Answers route lookups from a table: the device for a bound (source given) and an unbound lookup.</summary>
internal sealed class FixedRoutes(RouteLookup bound, RouteLookup unbound) : IRouteLookup
{
    public List<IPAddress?> Sources { get; } = [];

    public Task<RouteLookup> GetAsync(IPAddress destination, IPAddress? source, CancellationToken cancellationToken)
    {
        Sources.Add(source);
        return Task.FromResult(source is null ? unbound : bound);
    }
}

/// <summary>A gateway that answers the public-address request with an address, or throws the given failure.</summary>
internal sealed class ScriptedGateway(NatPmpException? failure) : IPortMapper
{
    public int PublicAddressRequests { get; private set; }

    public Task<IPAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        PublicAddressRequests++;
        return failure is null ? Task.FromResult(IPAddress.Parse("203.0.113.7")) : throw failure;
    }

    public Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort suggestedExternalPort, TimeSpan timeout, CancellationToken cancellationToken)
        => throw new InvalidOperationException("the doctor must not map");

    public Task DeleteAsync(NatPmpProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken)
        => throw new InvalidOperationException("the doctor must not delete");

    public void Reset()
    {
    }
}

internal sealed class FixedCheck(DoctorResult result) : IDoctorCheck
{
    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(result);
}
