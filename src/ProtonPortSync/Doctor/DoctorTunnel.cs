using System.Net;

namespace ProtonPortSync.Doctor;

/// <summary>
/// What a client's doctor checks may need to know about the tunnel (its leak check compares the client's binding with
/// it): the host's links and the daemon's <c>--bind-address</c> / <c>--interface</c>.
/// </summary>
internal sealed record DoctorTunnel(INetworkLinks Links, IPAddress? BindAddress, string? Interface);
