using System.Globalization;
using System.Net;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// One line of miniupnpd's lease file: <c>UDP:40000:10.2.0.2:40000:1795609240:NAT-PMP 40000 udp</c>
/// (protocol, external port, internal address, internal port, expiry in Unix seconds, description).
/// </summary>
internal sealed record MiniUpnpdLease(
    NatPmpProtocol Protocol,
    ushort ExternalPort,
    IPAddress InternalAddress,
    ushort InternalPort,
    DateTimeOffset ExpiresAt,
    string Description)
{
    /// <summary>Parses one lease line, or throws with the line when miniupnpd wrote something unexpected.</summary>
    public static MiniUpnpdLease Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(':', 6);
        if (fields.Length != 6)
        {
            throw new FormatException($"miniupnpd lease line has {fields.Length} fields, expected 6: '{line}'");
        }

        var protocol = fields[0] switch
        {
            "UDP" => NatPmpProtocol.Udp,
            "TCP" => NatPmpProtocol.Tcp,
            _ => throw new FormatException($"miniupnpd lease line has protocol '{fields[0]}', expected UDP or TCP: '{line}'"),
        };
        return new MiniUpnpdLease(
            protocol,
            ushort.Parse(fields[1], CultureInfo.InvariantCulture),
            IPAddress.Parse(fields[2]),
            ushort.Parse(fields[3], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(fields[4], CultureInfo.InvariantCulture)),
            fields[5]);
    }
}
