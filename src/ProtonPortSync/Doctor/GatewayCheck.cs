using System.Globalization;
using System.Net;
using ProtonPortSync.Gateway;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Doctor;

/// <summary>The gateway answers NAT-PMP: one public-address request (§3.2), which maps nothing. A failure names its cause.</summary>
internal sealed class GatewayCheck(IPortMapper mapper, IPEndPoint gateway, TimeSpan timeout) : IDoctorCheck
{
    public const string Name = "gateway";

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var address = await mapper.GetPublicAddressAsync(timeout, cancellationToken);
            return DoctorResult.Ok(Name, $"{gateway} answers NAT-PMP; public address {address}");
        }
        catch (NatPmpException ex)
        {
            return ex.Failure switch
            {
                NatPmpFailure.Timeout => DoctorResult.Fail(Name, string.Create(CultureInfo.InvariantCulture, $"no reply from {gateway} within {timeout.TotalSeconds:0.#} s"), "check the gateway address, that the tunnel is up, and the route check above"),
                NatPmpFailure.ConnectionRefused => DoctorResult.Fail(Name, $"{gateway} refused NAT-PMP (ICMP port unreachable): port forwarding not enabled on this WireGuard key/server", "generate the WireGuard configuration with NAT-PMP (port forwarding) on, and pick a P2P server"),
                NatPmpFailure.ResultCode => DoctorResult.Fail(Name, $"{gateway} answered result code {NatPmpException.DescribeResultCode(ex.ResultCode ?? NatPmpResultCode.Success)}", "enable port forwarding for this key, or check the gateway's NAT-PMP settings"),
                _ => DoctorResult.Fail(Name, $"cannot talk to {gateway}: {ex.Message}", "fix the bind address or interface so the socket can be opened"),
            };
        }
    }
}
