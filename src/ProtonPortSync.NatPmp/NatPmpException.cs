using System.Globalization;
using System.Net;

namespace ProtonPortSync.NatPmp;

/// <summary>A NAT-PMP exchange that did not produce a usable reply. The message names the likely cause.</summary>
public sealed class NatPmpException : Exception
{
    public NatPmpException(NatPmpFailure failure, NatPmpOpcode opcode, IPEndPoint gateway, NatPmpResultCode? resultCode = null, string? detail = null, Exception? innerException = null)
        : base(Describe(failure, opcode, gateway, resultCode, detail), innerException)
    {
        Failure = failure;
        Opcode = opcode;
        Gateway = gateway;
        ResultCode = resultCode;
    }

    /// <summary>A failure before any request was sent (the socket could not be opened, bound or connected).</summary>
    public NatPmpException(NatPmpFailure failure, IPEndPoint gateway, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Gateway = gateway;
    }

    public NatPmpException()
        : this("NAT-PMP exchange failed.")
    {
    }

    public NatPmpException(string message)
        : this(NatPmpFailure.Network, new IPEndPoint(IPAddress.None, NatPmpCodec.ServerPort), message)
    {
    }

    public NatPmpException(string message, Exception innerException)
        : this(NatPmpFailure.Network, new IPEndPoint(IPAddress.None, NatPmpCodec.ServerPort), message, innerException)
    {
    }

    public NatPmpFailure Failure { get; }

    public NatPmpOpcode Opcode { get; }

    public IPEndPoint Gateway { get; }

    /// <summary>The result code of the reply, when <see cref="Failure"/> is <see cref="NatPmpFailure.ResultCode"/>.</summary>
    public NatPmpResultCode? ResultCode { get; }

    /// <summary>A person's explanation of a result code (RFC 6886 §3.5) and what to check.</summary>
    public static string DescribeResultCode(NatPmpResultCode code) => code switch
    {
        NatPmpResultCode.Success => "success",
        NatPmpResultCode.UnsupportedVersion => "1 Unsupported Version: the gateway does not speak NAT-PMP version 0",
        NatPmpResultCode.NotAuthorizedOrRefused => "2 Not Authorized/Refused: the gateway refuses mappings (port forwarding off, or an internal port it will not accept)",
        NatPmpResultCode.NetworkFailure => "3 Network Failure: the gateway has no usable external address or firewall",
        NatPmpResultCode.OutOfResources => "4 Out of Resources: the gateway cannot create more mappings now",
        NatPmpResultCode.UnsupportedOpcode => "5 Unsupported Opcode: the gateway does not support this request",
        _ => string.Create(CultureInfo.InvariantCulture, $"{(ushort)code} (unknown result code, fatal for this request)"),
    };

    private static string Describe(NatPmpFailure failure, NatPmpOpcode opcode, IPEndPoint gateway, NatPmpResultCode? resultCode, string? detail)
    {
        var what = opcode switch
        {
            NatPmpOpcode.PublicAddress => "public address request",
            NatPmpOpcode.MapUdp => "UDP mapping request",
            NatPmpOpcode.MapTcp => "TCP mapping request",
            _ => "request",
        };
        var text = failure switch
        {
            NatPmpFailure.Timeout => $"NAT-PMP {what} to {gateway}: no valid reply before the deadline. Check that the bind address/interface is the tunnel's and that policy routing sends it through the tunnel, and that the gateway address is right.",
            NatPmpFailure.ConnectionRefused => $"NAT-PMP {what} to {gateway}: connection refused (ICMP port unreachable). Nothing answers NAT-PMP there: on ProtonVPN this means port forwarding is not enabled for this WireGuard key/server (enable NAT-PMP when generating the configuration and pick a P2P server).",
            NatPmpFailure.ResultCode => $"NAT-PMP {what} to {gateway}: gateway answered result code {DescribeResultCode(resultCode ?? NatPmpResultCode.Success)}.",
            NatPmpFailure.Network => $"NAT-PMP {what} to {gateway}: network error.",
            NatPmpFailure.InvalidGrant => $"NAT-PMP {what} to {gateway}: the gateway answered success but granted no usable mapping; counted as a failed renewal.",
            _ => $"NAT-PMP {what} to {gateway} failed.",
        };
        return detail is null ? text : $"{text} {detail}";
    }
}
