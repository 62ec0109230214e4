using System.Net;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Soak;

/// <summary>The faults the soak draws from the matrix; each lasts a random while, then the peer is healthy again.</summary>
internal enum SoakFault
{
    None,
    GatewayTimeout,
    GatewayRefused,
    GatewayErrorResult,
    InvalidGrant,
    EpochReset,
    PortRotation,
    ClientDown,
    ClientDrift,
    ClientBadPassword,
}

/// <summary>A scripted gateway for the soak: Proton's 60 s grants, faults set by the soak, and only counters kept.</summary>
internal sealed class SoakGateway(FakeTimeProvider time) : IPortMapper
{
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);

    public SoakFault Fault { get; set; }

    public int Port { get; set; } = 40010;

    public long Requests { get; private set; }

    /// <summary>Request times within the last few seconds, to check the rate; trimmed as it goes.</summary>
    public Queue<DateTimeOffset> Recent { get; } = new();

    public int MaxRecent { get; private set; }

    public Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort suggestedExternalPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Count();
        switch (Fault)
        {
            case SoakFault.GatewayTimeout:
                time.Advance(timeout);
                throw new NatPmpException(NatPmpFailure.Timeout, (NatPmpOpcode)protocol, Gateway);
            case SoakFault.GatewayRefused:
                throw new NatPmpException(NatPmpFailure.ConnectionRefused, (NatPmpOpcode)protocol, Gateway);
            case SoakFault.GatewayErrorResult:
                throw new NatPmpException(NatPmpFailure.ResultCode, (NatPmpOpcode)protocol, Gateway, NatPmpResultCode.OutOfResources);
            case SoakFault.InvalidGrant:
                throw new NatPmpException(NatPmpFailure.InvalidGrant, (NatPmpOpcode)protocol, Gateway);
            case SoakFault.PortRotation when protocol == NatPmpProtocol.Udp:
                Port = Port >= 65000 ? 20000 : Port + 7;
                break;
        }

        var reset = Fault == SoakFault.EpochReset;
        return Task.FromResult(new NatPmpMapping(protocol, 0, (ushort)Port, TimeSpan.FromSeconds(60), reset ? 1u : 100u, time.GetUtcNow(), reset) { RequestedLifetime = TimeSpan.FromSeconds(60) });
    }

    public Task DeleteAsync(NatPmpProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IPAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Count();
        return Task.FromResult(IPAddress.Parse("203.0.113.7"));
    }

    public void Reset()
    {
    }

    private void Count()
    {
        Requests++;
        var now = time.GetUtcNow();
        Recent.Enqueue(now);
        while (Recent.Peek() <= now - SoakInvariants.RateWindow)
        {
            Recent.Dequeue();
        }

        MaxRecent = Math.Max(MaxRecent, Recent.Count);
    }
}

/// <summary>A scripted torrent client for the soak: a port, faults set by the soak, counters only.</summary>
internal sealed class SoakClient(FakeTimeProvider time) : ITorrentClient
{
    public string Name => "soak";

    public SoakFault Fault { get; set; }

    public int ListenPort { get; set; } = 6881;

    /// <summary>The refusal's backoff, as the adapters' login gate hands it out.</summary>
    public DateTimeOffset? RefusedUntil { get; private set; }

    public long Calls { get; private set; }

    /// <summary>Calls made while a refusal's backoff ran: logins the gate should have held back.</summary>
    public long CallsDuringBackoff { get; private set; }

    public List<int> InvalidPortsWritten { get; } = [];

    public Task<int> GetListenPortAsync(CancellationToken cancellationToken)
    {
        Enter();
        return Task.FromResult(ListenPort);
    }

    public Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        Enter();
        if (port is < 1024 or > 65535)
        {
            InvalidPortsWritten.Add(port);
        }

        ListenPort = port;
        return Task.CompletedTask;
    }

    public Task RebindAsync(int port, CancellationToken cancellationToken) => SetListenPortAsync(port, cancellationToken);

    private void Enter()
    {
        Calls++;
        var now = time.GetUtcNow();
        if (RefusedUntil is { } until && now < until)
        {
            CallsDuringBackoff++;
        }

        switch (Fault)
        {
            case SoakFault.ClientDown:
                throw new TorrentClientException(Name, TorrentClientFailure.Unreachable, "connection refused");
            case SoakFault.ClientBadPassword:
                RefusedUntil = now + SoakInvariants.RefusalBackoff;
                throw new TorrentClientException(Name, TorrentClientFailure.BadCredentials, "refused", RefusedUntil);
        }
    }
}
