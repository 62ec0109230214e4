using System.Buffers.Binary;
using CsCheck;

namespace ProtonPortSync.NatPmp.Tests.Fuzz;

/// <summary>
/// Property tests of the NAT-PMP decoder over random datagrams and mutations of valid replies: it never throws, and
/// whatever it accepts is exactly a well-formed reply to the request (version 0, the request's opcode + 128, the
/// right length, fields read back as written). <c>scripts/fuzz.sh</c> runs these with 10⁶ cases each.
/// </summary>
public sealed class NatPmpDecoderFuzzTests
{
    /// <summary>A valid 16-byte map reply or 12-byte address reply, then 0–4 mutations (flip, overwrite, cut, extend, insert).</summary>
    internal static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[16], Gen.Int[0, 4], Gen.Int.Array[12], (kind, body, count, ops) =>
        {
            var datagram = kind switch
            {
                0 => Valid(body, 0x81, 16),
                1 => Valid(body, 0x82, 16),
                2 => Valid(body, 0x80, 12),
                _ => Valid(body, 0x81, 8),
            };
            for (var i = 0; i < count; i++)
            {
                datagram = Mutate(datagram, ops[i * 3 % 12], ops[(i * 3 + 1) % 12], ops[(i * 3 + 2) % 12]);
            }

            return datagram;
        });

    internal static readonly Gen<byte[]> Datagrams = Gen.Frequency((1, Gen.Byte.Array[0, 24]), (3, Mutated));

    [Fact]
    public void TryReadMapResponse_AnyDatagram_NeverThrowsAndAcceptsOnlyWellFormed()
        => Datagrams.Sample(
            datagram =>
            {
                foreach (var protocol in new[] { NatPmpProtocol.Udp, NatPmpProtocol.Tcp })
                {
                    if (!NatPmpCodec.TryReadMapResponse(datagram, protocol, out var header, out var fields))
                    {
                        continue;
                    }

                    Assert.Equal(0, datagram[0]);
                    Assert.Equal(0x80 + (int)protocol, datagram[1]);
                    Assert.True(datagram.Length == 16 || (datagram.Length == 8 && header.ResultCode != NatPmpResultCode.Success));
                    Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)), (ushort)header.ResultCode);
                    Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)), header.SecondsSinceEpoch);
                    if (datagram.Length == 16)
                    {
                        var written = new byte[16];
                        NatPmpCodec.WriteMapResponse(written, protocol, header.ResultCode, header.SecondsSinceEpoch, fields);
                        Assert.Equal(datagram, written);
                    }
                }
            },
            iter: FuzzBudget.Iterations(20_000),
            seed: FuzzBudget.Seed);

    [Fact]
    public void TryReadPublicAddressResponse_AnyDatagram_NeverThrowsAndAcceptsOnlyWellFormed()
        => Datagrams.Sample(
            datagram =>
            {
                if (!NatPmpCodec.TryReadPublicAddressResponse(datagram, out var header, out var address))
                {
                    return;
                }

                Assert.Equal(0, datagram[0]);
                Assert.Equal(0x80, datagram[1]);
                if (header.ResultCode == NatPmpResultCode.Success)
                {
                    Assert.Equal(12, datagram.Length);
                    Assert.Equal(datagram[8..12], address.GetAddressBytes());
                }
                else
                {
                    Assert.True(datagram.Length is 8 or 12);
                }
            },
            iter: FuzzBudget.Iterations(20_000),
            seed: FuzzBudget.Seed);

    [Fact]
    public void TryReadMapRequest_AnyDatagram_NeverThrowsAndRoundTrips()
        => Datagrams.Sample(
            datagram =>
            {
                if (!NatPmpCodec.TryReadMapRequest(datagram, out var protocol, out var fields))
                {
                    return;
                }

                var written = new byte[12];
                NatPmpCodec.WriteMapRequest(written, protocol, fields.InternalPort, fields.ExternalPort, fields.LifetimeSeconds);
                Assert.Equal(datagram[..2], written[..2]);
                Assert.Equal(datagram[4..], written[4..]);
            },
            iter: FuzzBudget.Iterations(20_000),
            seed: FuzzBudget.Seed);

    private static byte[] Valid(byte[] random, byte opcode, int length)
    {
        var datagram = random[..length];
        datagram[0] = 0;
        datagram[1] = opcode;
        datagram[2] = 0;
        datagram[3] = length == 8 ? (byte)(1 + (random[3] % 5)) : (byte)(random[3] % 4 == 0 ? random[3] % 6 : 0);
        return datagram;
    }

    private static byte[] Mutate(byte[] datagram, int op, int at, int value)
    {
        var position = datagram.Length == 0 ? 0 : (int)((uint)at % (uint)datagram.Length);
        switch ((uint)op % 5)
        {
            case 0 when datagram.Length > 0:
                datagram[position] ^= (byte)(1 << (value & 7));
                return datagram;
            case 1 when datagram.Length > 0:
                datagram[position] = (byte)value;
                return datagram;
            case 2:
                return datagram[..position];
            case 3:
                return [.. datagram, (byte)value];
            default:
                return [.. datagram[..position], (byte)value, .. datagram[position..]];
        }
    }
}
