using System.Net;

namespace ProtonPortSync.Demo;

/// <summary>Settings of <see cref="ProtonGatewayEmulator"/>; the defaults behave like a ProtonVPN gateway on loopback.</summary>
internal sealed record ProtonGatewayEmulatorOptions
{
    /// <summary>Loopback, port 0: the operating system picks a free port (read it from LocalEndPoint).</summary>
    public static readonly IPEndPoint DefaultEndPoint = new(IPAddress.Loopback, 0);

    /// <summary>203.0.113.7, from TEST-NET-3 (RFC 5737): public-looking, and never routed anywhere.</summary>
    public static readonly IPAddress DefaultPublicAddress = IPAddress.Parse("203.0.113.7");

    public IPEndPoint EndPoint { get; init; } = DefaultEndPoint;

    public IPAddress PublicAddress { get; init; } = DefaultPublicAddress;

    /// <summary>When set, a renewal after this long since the port was chosen gets a new port, as Proton does now and then.</summary>
    public TimeSpan? ChangeEvery { get; init; }

    /// <summary>What the internal port of a mapping reply says; Proton's own answer varies (issue 13).</summary>
    public InternalPortReply InternalPortReply { get; init; } = InternalPortReply.Echo;

    /// <summary>Seed for the port choice, for reproducible demos and tests; null = unpredictable.</summary>
    public int? Seed { get; init; }
}
