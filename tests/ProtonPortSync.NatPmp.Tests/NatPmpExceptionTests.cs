using System.Net;

namespace ProtonPortSync.NatPmp.Tests;

/// <summary>What the operator reads: each failure names the request, the gateway and the likely cause.</summary>
public sealed class NatPmpExceptionTests
{
    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("10.2.0.1"), 5351);

    [Theory]
    [InlineData(NatPmpResultCode.Success, "success")]
    [InlineData(NatPmpResultCode.UnsupportedVersion, "1 Unsupported Version")]
    [InlineData(NatPmpResultCode.NotAuthorizedOrRefused, "2 Not Authorized/Refused")]
    [InlineData(NatPmpResultCode.NetworkFailure, "3 Network Failure")]
    [InlineData(NatPmpResultCode.OutOfResources, "4 Out of Resources")]
    [InlineData(NatPmpResultCode.UnsupportedOpcode, "5 Unsupported Opcode")]
    [InlineData((NatPmpResultCode)9, "9 (unknown result code, fatal for this request)")]
    public void DescribeResultCode_EachRfc6886Code_StartsWithNumberAndRfcName(NatPmpResultCode code, string expectedStart)
        => Assert.StartsWith(expectedStart, NatPmpException.DescribeResultCode(code), StringComparison.Ordinal);

    [Theory]
    [InlineData(NatPmpOpcode.PublicAddress, "NAT-PMP public address request to 10.2.0.1:5351: network error.")]
    [InlineData(NatPmpOpcode.MapUdp, "NAT-PMP UDP mapping request to 10.2.0.1:5351: network error.")]
    [InlineData(NatPmpOpcode.MapTcp, "NAT-PMP TCP mapping request to 10.2.0.1:5351: network error.")]
    [InlineData((NatPmpOpcode)7, "NAT-PMP request to 10.2.0.1:5351: network error.")]
    public void Message_NoDetail_NamesRequestAndGatewayWithNothingAppended(NatPmpOpcode opcode, string expected)
        => Assert.Equal(expected, new NatPmpException(NatPmpFailure.Network, opcode, Gateway).Message);

    [Fact]
    public void Message_WithDetail_AppendedAfterOneSpace()
        => Assert.Equal(
            "NAT-PMP UDP mapping request to 10.2.0.1:5351: network error. HostUnreachable: x",
            new NatPmpException(NatPmpFailure.Network, NatPmpOpcode.MapUdp, Gateway, detail: "HostUnreachable: x").Message);

    [Fact]
    public void Message_UnknownFailure_GenericButNamesGateway()
        => Assert.Equal("NAT-PMP request to 10.2.0.1:5351 failed.", new NatPmpException((NatPmpFailure)99, (NatPmpOpcode)7, Gateway).Message);

    [Fact]
    public void Message_ResultCode_CarriesTheCodeDescription()
    {
        var ex = new NatPmpException(NatPmpFailure.ResultCode, NatPmpOpcode.MapTcp, Gateway, NatPmpResultCode.OutOfResources);

        Assert.Equal(NatPmpResultCode.OutOfResources, ex.ResultCode);
        Assert.Contains("result code 4 Out of Resources", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Parameterless_NetworkFailureWithAMessage()
    {
        var ex = new NatPmpException();

        Assert.Equal(NatPmpFailure.Network, ex.Failure);
        Assert.Equal("NAT-PMP exchange failed.", ex.Message);
        Assert.Equal(NatPmpCodec.ServerPort, ex.Gateway.Port);
    }
}
