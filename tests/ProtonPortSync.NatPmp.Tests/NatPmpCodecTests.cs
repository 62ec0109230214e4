using System.Net;

namespace ProtonPortSync.NatPmp.Tests;

public class NatPmpCodecTests
{
    [Theory]
    [InlineData(NatPmpProtocol.Tcp, 123, 456, 1200u, "00020000007B01C8000004B0")]
    [InlineData(NatPmpProtocol.Udp, 0, 1, 60u, "00010000000000010000003C")]
    [InlineData(NatPmpProtocol.Udp, 40010, 40010, 60u, "000100009C4A9C4A0000003C")]
    [InlineData(NatPmpProtocol.Tcp, 40010, 0, 0u, "000200009C4A000000000000")]
    public void WriteMapRequest_Fields_MatchRfc6886Layout(NatPmpProtocol protocol, ushort internalPort, ushort suggested, uint lifetime, string expectedHex)
    {
        var buffer = new byte[32];

        var written = NatPmpCodec.WriteMapRequest(buffer, protocol, internalPort, suggested, lifetime);

        Assert.Equal(12, written);
        Assert.Equal(expectedHex, Convert.ToHexString(buffer, 0, written));
    }

    [Fact]
    public void WritePublicAddressRequest_Always_TwoBytesVersionZeroOpcodeZero()
    {
        var buffer = new byte[] { 0xFF, 0xFF, 0xFF };

        var written = NatPmpCodec.WritePublicAddressRequest(buffer);

        Assert.Equal("0000", Convert.ToHexString(buffer, 0, written));
    }

    [Fact]
    public void TryReadMapResponse_MiniupnpdSample_ReadsEveryField()
    {
        // Measured against miniupnpd 2.3.1: reply to "00 01 00 00 9c 4a 9c 4a 00 00 00 3c".
        var reply = Convert.FromHexString("0081000000000001" + "9C4A9C4A0000003C");

        Assert.True(NatPmpCodec.TryReadMapResponse(reply, NatPmpProtocol.Udp, out var header, out var fields));

        Assert.Equal(new NatPmpResponseHeader(NatPmpOpcode.MapUdp, NatPmpResultCode.Success, 1), header);
        Assert.Equal(new NatPmpMapFields(40010, 40010, 60), fields);
    }

    [Fact]
    public void TryReadPublicAddressResponse_Valid_ReadsAddressAndEpoch()
    {
        var reply = Convert.FromHexString("00800000000004D2" + "01020304");

        Assert.True(NatPmpCodec.TryReadPublicAddressResponse(reply, out var header, out var address));

        Assert.Equal(1234u, header.SecondsSinceEpoch);
        Assert.Equal(NatPmpResultCode.Success, header.ResultCode);
        Assert.Equal(IPAddress.Parse("1.2.3.4"), address);
    }

    [Theory]
    [InlineData("0082000000000001", NatPmpResultCode.Success, false)] // 8-byte success: malformed
    [InlineData("0082000200000001", NatPmpResultCode.NotAuthorizedOrRefused, true)] // 8-byte error reply
    [InlineData("0082000300000001" + "0000000000000000", NatPmpResultCode.NetworkFailure, true)] // 16-byte error reply
    [InlineData("0082000000000001" + "9C4A9C4A0000003C" + "00", NatPmpResultCode.Success, false)] // long
    [InlineData("0082000000000001" + "9C4A9C4A000000", NatPmpResultCode.Success, false)] // short
    [InlineData("0182000000000001" + "9C4A9C4A0000003C", NatPmpResultCode.Success, false)] // version 1
    [InlineData("0281000000000001" + "9C4A9C4A0000003C", NatPmpResultCode.Success, false)] // PCP-style version 2
    [InlineData("0081000000000001" + "9C4A9C4A0000003C", NatPmpResultCode.Success, false)] // UDP reply to a TCP request
    [InlineData("0002000000000001" + "9C4A9C4A0000003C", NatPmpResultCode.Success, false)] // a request, not a reply
    [InlineData("00820000", NatPmpResultCode.Success, false)] // shorter than a header
    [InlineData("", NatPmpResultCode.Success, false)]
    public void TryReadMapResponse_MalformedOrError_AcceptsOnlyWellFormedReplies(string hex, NatPmpResultCode code, bool accepted)
    {
        var ok = NatPmpCodec.TryReadMapResponse(Convert.FromHexString(hex), NatPmpProtocol.Tcp, out var header, out _);

        Assert.Equal(accepted, ok);
        if (accepted)
        {
            Assert.Equal(code, header.ResultCode);
        }
    }

    [Theory]
    [InlineData("0080000000000001", false)] // 8-byte success carries no address
    [InlineData("0080000300000001", true)] // 8-byte error
    [InlineData("008000000000000101020304FF", false)] // long
    [InlineData("0080000000000001010203", false)] // short
    [InlineData("0180000000000001" + "01020304", false)] // wrong version
    [InlineData("0081000000000001" + "01020304", false)] // wrong opcode
    public void TryReadPublicAddressResponse_MalformedOrError_AcceptsOnlyWellFormedReplies(string hex, bool accepted)
        => Assert.Equal(accepted, NatPmpCodec.TryReadPublicAddressResponse(Convert.FromHexString(hex), out _, out _));

    [Fact]
    public void TryReadHeader_UnknownResultCode_KeptAsNumber()
    {
        Assert.True(NatPmpCodec.TryReadHeader(Convert.FromHexString("0081002A00000010"), NatPmpOpcode.MapUdp, out var header));

        Assert.Equal((NatPmpResultCode)42, header.ResultCode);
        Assert.Equal(16u, header.SecondsSinceEpoch);
    }

    [Theory]
    [InlineData(NatPmpProtocol.Udp, NatPmpResultCode.Success, 7u, 1, 2, 3u)]
    [InlineData(NatPmpProtocol.Tcp, NatPmpResultCode.OutOfResources, uint.MaxValue, 65535, 0, uint.MaxValue)]
    public void WriteMapResponse_ThenRead_RoundTrips(NatPmpProtocol protocol, NatPmpResultCode code, uint epoch, ushort internalPort, ushort externalPort, uint lifetime)
    {
        var buffer = new byte[16];
        var fields = new NatPmpMapFields(internalPort, externalPort, lifetime);

        NatPmpCodec.WriteMapResponse(buffer, protocol, code, epoch, fields);

        Assert.True(NatPmpCodec.TryReadMapResponse(buffer, protocol, out var header, out var read));
        Assert.Equal(new NatPmpResponseHeader((NatPmpOpcode)protocol, code, epoch), header);
        Assert.Equal(fields, read);
    }

    [Fact]
    public void WriteMapRequest_ThenTryReadMapRequest_RoundTrips()
    {
        var buffer = new byte[12];
        NatPmpCodec.WriteMapRequest(buffer, NatPmpProtocol.Tcp, 51413, 1, 60);

        Assert.True(NatPmpCodec.TryReadMapRequest(buffer, out var protocol, out var fields));

        Assert.Equal(NatPmpProtocol.Tcp, protocol);
        Assert.Equal(new NatPmpMapFields(51413, 1, 60), fields);
    }

    [Theory]
    [InlineData("000300000000000100000000")] // unknown opcode
    [InlineData("010100000000000100000000")] // version 1
    [InlineData("0001000000000001000000")] // short
    [InlineData("0000")] // public address request
    public void TryReadMapRequest_NotAMapRequest_ReturnsFalse(string hex)
        => Assert.False(NatPmpCodec.TryReadMapRequest(Convert.FromHexString(hex), out _, out _));

    [Fact]
    public void WritePublicAddressResponse_ThenRead_RoundTrips()
    {
        var buffer = new byte[12];
        NatPmpCodec.WritePublicAddressResponse(buffer, NatPmpResultCode.Success, 99, IPAddress.Parse("203.0.113.7"));

        Assert.Equal("0080000000000063CB007107", Convert.ToHexString(buffer));
    }

    [Fact]
    public void WritePublicAddressResponse_IPv6_Throws()
        => Assert.Throws<ArgumentException>(() => NatPmpCodec.WritePublicAddressResponse(new byte[12], NatPmpResultCode.Success, 1, IPAddress.IPv6Loopback));
}
