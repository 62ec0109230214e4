using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ProtonPortSync.Doctor;

/// <summary>A network interface as the doctor sees it.</summary>
internal sealed record NetworkLink(string Name, bool IsUp, IReadOnlyList<IPAddress> Addresses);

/// <summary>The host's interfaces; a seam so checks are tested on fixed lists.</summary>
internal interface INetworkLinks
{
    IReadOnlyList<NetworkLink> GetLinks();
}

internal sealed class SystemNetworkLinks : INetworkLinks
{
    public IReadOnlyList<NetworkLink> GetLinks() => NetworkInterface.GetAllNetworkInterfaces()
        .Select(n => new NetworkLink(
            n.Name,

            // WireGuard links report "unknown" operational state while up: only "down" counts as down.
            n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
            n.GetIPProperties().UnicastAddresses.Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList()))
        .ToList();
}
