using System.Net;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>
/// A gateway in memory: grants <see cref="Port"/> (per protocol if set) with <see cref="Lifetime"/>, or fails the way
/// <see cref="Failure"/> says, spending the whole timeout on the fake clock as a real timeout would.
/// </summary>
internal sealed class FakePortMapper(FakeTimeProvider time) : IPortMapper
{
    public static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);

    public int Port { get; set; } = 40010;

    public int? TcpPort { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public NatPmpFailure? Failure { get; set; }

    public bool NextReplyIsReset { get; set; }

    public List<(NatPmpProtocol Protocol, ushort Suggested, TimeSpan Timeout, DateTimeOffset At)> Maps { get; } = [];

    public List<NatPmpProtocol> Deletes { get; } = [];

    public int Resets { get; private set; }

    /// <summary>When set, requests never complete (until cancelled), whatever their timeout: a stuck loop.</summary>
    public bool Hang { get; set; }

    public async Task<NatPmpMapping> MapAsync(NatPmpProtocol protocol, ushort suggestedExternalPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Maps.Add((protocol, suggestedExternalPort, timeout, time.GetUtcNow()));
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Failure is { } f)
        {
            if (f == NatPmpFailure.Timeout)
            {
                time.Advance(timeout);
            }

            throw new NatPmpException(f, (NatPmpOpcode)protocol, Gateway, f == NatPmpFailure.ResultCode ? NatPmpResultCode.NetworkFailure : null);
        }

        var port = protocol == NatPmpProtocol.Tcp && TcpPort is { } t ? t : Port;
        var reset = NextReplyIsReset;
        NextReplyIsReset = false;
        return new NatPmpMapping(protocol, 0, (ushort)port, Lifetime, 100, time.GetUtcNow(), reset);
    }

    public Task DeleteAsync(NatPmpProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Deletes.Add(protocol);
        return Task.CompletedTask;
    }

    public Task<IPAddress> GetPublicAddressAsync(TimeSpan timeout, CancellationToken cancellationToken)
        => Failure is null ? Task.FromResult(IPAddress.Parse("1.2.3.4")) : throw new NatPmpException(NatPmpFailure.Timeout, NatPmpOpcode.PublicAddress, Gateway);

    public void Reset() => Resets++;
}
