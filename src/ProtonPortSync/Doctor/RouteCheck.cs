using System.Net;

namespace ProtonPortSync.Doctor;

/// <summary>
/// The route to the gateway from the bound address goes through the tunnel. Under split-tunnel policy routing
/// ("from 10.2.0.2 lookup 51820") only a bound socket does; an unbound one would leave by the LAN, which is fine for
/// the daemon (it binds) but worth a warning, since natpmpc and other tools would time out.
/// </summary>
internal sealed class RouteCheck(INetworkLinks links, IRouteLookup routes, IPAddress gateway, IPAddress? bindAddress, string? interfaceName) : IDoctorCheck
{
    public const string Name = "route";

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        var link = BindAddressCheck.Find(links.GetLinks(), bindAddress, interfaceName);
        var source = bindAddress ?? (link is { Addresses.Count: > 0 } ? link.Addresses[0] : null);
        if (link is null || source is null)
        {
            return DoctorResult.Fail(Name, $"cannot check the route to {gateway}: the tunnel's {(interfaceName is null ? $"address {bindAddress}" : $"interface {interfaceName}")} is missing", "fix the bind address first");
        }

        var bound = await routes.GetAsync(gateway, source, cancellationToken);
        if (bound.Device is null)
        {
            return DoctorResult.Fail(Name, $"no route to {gateway} from {source}: {bound.Error}", $"add a route to the gateway through {link.Name} (wg-quick adds one from AllowedIPs)");
        }

        if (bound.Device != link.Name)
        {
            return DoctorResult.Fail(Name, $"from {source}, {gateway} is reached via {bound.Device}, not the tunnel {link.Name}", $"route the tunnel's address through it, e.g. `ip rule add from {source} lookup 51820` and `ip route add default dev {link.Name} table 51820`");
        }

        var unbound = await routes.GetAsync(gateway, null, cancellationToken);
        if (unbound.Device != link.Name)
        {
            return DoctorResult.Warn(Name, $"from {source}, {gateway} is reached via {link.Name}; an unbound socket would go via {unbound.Device ?? unbound.Error}", "nothing for the daemon (it binds to the tunnel); bind other tools too, e.g. run natpmpc with the tunnel's source address");
        }

        return DoctorResult.Ok(Name, $"{gateway} is reached via {link.Name}, bound or not");
    }
}
