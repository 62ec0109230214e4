using CsCheck;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.NatPmp.Tests.Fakes;

namespace ProtonPortSync.NatPmp.Tests.Fuzz;

/// <summary>
/// The client behind the decoder: a hostile gateway answers a mapping request with a random or mutated datagram
/// (then a refusal, so every exchange ends without waiting). The client never lets anything but a
/// <see cref="NatPmpException"/> escape, and never returns a mapping with port 0, lifetime 0 or someone else's
/// internal port.
/// </summary>
public sealed class NatPmpClientFuzzTests
{
    [Fact]
    public async Task MapAsync_HostileReplies_OnlyValidMappingsOrNatPmpException()
        => await Gen.Select(NatPmpDecoderFuzzTests.Datagrams, Gen.Int[0, 2]).SampleAsync(
            async tuple =>
            {
                var (datagram, internalChoice) = tuple;
                var internalPort = internalChoice switch { 0 => (ushort)0, 1 => (ushort)5000, _ => (ushort)40010 };
                var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
                var transport = new ScriptedTransport();
                using var client = new NatPmpClient(transport, ScriptedTransport.Gateway, time);
                transport.OnSend = (_, _) =>
                {
                    transport.Reply(datagram);
                    transport.Reply("0081000200000064"); // "refused": ends the exchange if the datagram was dropped
                };

                try
                {
                    var mapping = await client.MapAsync(NatPmpProtocol.Udp, internalPort, 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), default);
                    Assert.NotEqual(0, mapping.ExternalPort);
                    Assert.True(mapping.Lifetime > TimeSpan.Zero);
                    Assert.True(mapping.UsableLifetime <= TimeSpan.FromSeconds(60));
                    Assert.Equal(16, datagram.Length);
                    var replyInternal = (ushort)((datagram[8] << 8) | datagram[9]);
                    Assert.True(NatPmpClient.IsOurInternalPort(internalPort, new NatPmpMapFields(replyInternal, mapping.ExternalPort, 60)));
                }
                catch (NatPmpException)
                {
                    // A refusal, an error result or an invalid grant: the loop counts it as a failed renewal.
                }
            },
            iter: FuzzBudget.Iterations(5_000),
            seed: FuzzBudget.Seed);
}
