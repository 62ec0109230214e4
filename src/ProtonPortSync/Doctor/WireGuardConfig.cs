using System.Net;

namespace ProtonPortSync.Doctor;

/// <summary>
/// What doctor needs from a wg-quick configuration, Proton's in particular: the tunnel addresses, DNS (Proton's
/// gateway), the endpoint, and Proton's comment <c># NAT-PMP (Port Forwarding) = on</c>. The private key is never
/// kept: lines are read for the keys named here only.
/// </summary>
internal sealed record WireGuardConfig
{
    /// <summary>The most a configuration file may hold; a larger one is not a wg-quick file.</summary>
    public const int MaxBytes = 64 * 1024;

    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    public IReadOnlyList<IPAddress> Dns { get; init; } = [];

    public string? Endpoint { get; init; }

    /// <summary>true/false from Proton's NAT-PMP comment; null when the file has none.</summary>
    public bool? PortForwarding { get; init; }

    public static WireGuardConfig Parse(string text)
    {
        var addresses = new List<IPAddress>();
        var dns = new List<IPAddress>();
        string? endpoint = null;
        bool? forwarding = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                forwarding = ParseForwardingComment(line[1..]) ?? forwarding;
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (key.Equals("Address", StringComparison.OrdinalIgnoreCase))
            {
                addresses.AddRange(ParseAddresses(value));
            }
            else if (key.Equals("DNS", StringComparison.OrdinalIgnoreCase))
            {
                dns.AddRange(ParseAddresses(value));
            }
            else if (key.Equals("Endpoint", StringComparison.OrdinalIgnoreCase) && endpoint is null)
            {
                endpoint = value;
            }
        }

        return new WireGuardConfig { Addresses = addresses, Dns = dns, Endpoint = endpoint, PortForwarding = forwarding };
    }

    /// <summary><c> NAT-PMP (Port Forwarding) = on</c> → true; <c>= off</c> → false; any other comment → null.</summary>
    private static bool? ParseForwardingComment(string comment)
    {
        var eq = comment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !comment[..eq].Contains("NAT-PMP", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return comment[(eq + 1)..].Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "1" or "yes" => true,
            "off" or "false" or "0" or "no" => false,
            _ => null,
        };
    }

    private static IEnumerable<IPAddress> ParseAddresses(string value)
    {
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (IPAddress.TryParse(slash < 0 ? item : item[..slash], out var address))
            {
                yield return address;
            }
        }
    }
}
