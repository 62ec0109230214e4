using System.Net;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>The codec writing into reused (dirty) buffers, and its argument checks.</summary>
public sealed class NatPmpCodecEdgeTests
{
    [Fact]
    public void WritePublicAddressRequest_DirtyBuffer_TwoZeroBytesAndTheRestUntouched()
    {
        var buffer = Convert.FromHexString("FFFFFFFF");

        var written = NatPmpCodec.WritePublicAddressRequest(buffer);

        Assert.Equal(2, written);
        Assert.Equal("0000FFFF", Convert.ToHexString(buffer));
    }

    [Fact]
    public void WriteMapRequest_DirtyBuffer_ReservedFieldZero()
    {
        var buffer = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFF");

        var written = NatPmpCodec.WriteMapRequest(buffer, NatPmpProtocol.Tcp, 123, 456, 1200);

        // §3.3: "Reserved: MUST be set to 0 on transmission"; the 13th byte is not part of the request.
        Assert.Equal(12, written);
        Assert.Equal("00020000007B01C8000004B0FF", Convert.ToHexString(buffer));
    }

    [Fact]
    public void WritePublicAddressResponse_NullAddress_ThrowsArgumentNull()
    {
        var buffer = new byte[NatPmpCodec.PublicAddressResponseLength];

        Assert.Equal("address", Assert.Throws<ArgumentNullException>(() => NatPmpCodec.WritePublicAddressResponse(buffer, NatPmpResultCode.Success, 1, null!)).ParamName);
    }

    [Fact]
    public void WritePublicAddressResponse_IPv6_MessageSaysIPv4Only()
    {
        var buffer = new byte[NatPmpCodec.PublicAddressResponseLength];

        var ex = Assert.Throws<ArgumentException>(() => NatPmpCodec.WritePublicAddressResponse(buffer, NatPmpResultCode.Success, 1, IPAddress.IPv6Loopback));

        Assert.Equal("address", ex.ParamName);
        Assert.Contains("IPv4", ex.Message, StringComparison.Ordinal);
    }
}
