using System.Net;

namespace ProtonPortSync.Doctor;

/// <summary>The interface or bind address exists, is up, and has an IPv4 address to bind to.</summary>
internal sealed class BindAddressCheck(INetworkLinks links, IPAddress? bindAddress, string? interfaceName) : IDoctorCheck
{
    public const string Name = "bind address";

    public Task<DoctorResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Run());

    /// <summary>The link the NAT-PMP socket would use: the named interface, or the one holding the bind address.</summary>
    public static NetworkLink? Find(IReadOnlyList<NetworkLink> links, IPAddress? bindAddress, string? interfaceName)
        => interfaceName is not null
            ? links.FirstOrDefault(l => l.Name == interfaceName)
            : links.FirstOrDefault(l => l.Addresses.Contains(bindAddress));

    private DoctorResult Run()
    {
        var all = links.GetLinks();
        var link = Find(all, bindAddress, interfaceName);
        if (interfaceName is not null)
        {
            if (link is null)
            {
                return DoctorResult.Fail(Name, $"interface {interfaceName} does not exist (have: {string.Join(", ", all.Select(l => l.Name))})", "bring the WireGuard tunnel up, or name its interface with --interface");
            }

            if (!link.IsUp)
            {
                return DoctorResult.Fail(Name, $"interface {interfaceName} is down", $"bring it up (e.g. systemctl start wg-quick@{interfaceName})");
            }

            return link.Addresses.Count == 0
                ? DoctorResult.Fail(Name, $"interface {interfaceName} has no IPv4 address", "give the tunnel its Address (e.g. 10.2.0.2/32) in the WireGuard configuration")
                : DoctorResult.Ok(Name, $"interface {interfaceName} is up with {string.Join(", ", link.Addresses)}");
        }

        if (link is null)
        {
            return DoctorResult.Fail(Name, $"bind address {bindAddress} is on no interface of this host", "start the tunnel, or pass the tunnel's address with --bind-address (or its interface with --interface)");
        }

        return link.IsUp
            ? DoctorResult.Ok(Name, $"{bindAddress} is on {link.Name} (up)")
            : DoctorResult.Fail(Name, $"{bindAddress} is on {link.Name}, which is down", $"bring {link.Name} up");
    }
}
