using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.NatPmp;

/// <summary>
/// libnatpmp's <c>natpmpc</c>: an independent NAT-PMP client to cross-check ours against. It cannot bind, so it
/// needs a topology where an unbound socket reaches the gateway (<see cref="ClientRouting.OnLink"/> or
/// <see cref="ClientRouting.FullTunnel"/>). Its own retry schedule runs ~128 s, so every run is bounded with
/// coreutils <c>timeout</c>.
/// </summary>
internal static partial class Natpmpc
{
    /// <summary>Exit code of coreutils <c>timeout</c> when it had to stop the command.</summary>
    public const int TimedOutExitCode = 124;

    public static NatpmpcResult PublicAddress(NetworkNamespace ns, TimeSpan bound)
        => Run(ns, bound, "-g", GatewayTopology.GatewayAddress.ToString());

    /// <summary><c>natpmpc -g gw -a public private proto lifetime</c> (note: public port first).</summary>
    public static NatpmpcResult Map(NetworkNamespace ns, string protocol, ushort publicPort, ushort privatePort, uint lifetimeSeconds, TimeSpan bound)
        => Run(ns, bound, "-g", GatewayTopology.GatewayAddress.ToString(), "-a",
            publicPort.ToString(CultureInfo.InvariantCulture), privatePort.ToString(CultureInfo.InvariantCulture),
            protocol, lifetimeSeconds.ToString(CultureInfo.InvariantCulture));

    private static NatpmpcResult Run(NetworkNamespace ns, TimeSpan bound, params string[] args)
    {
        var seconds = bound.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var r = ns.Run("timeout", [seconds, "natpmpc", .. args]);
        var output = r.StdOut + r.StdErr;
        var address = PublicAddressLine().Match(output);
        var mapped = MappedLine().Match(output);
        return new NatpmpcResult(
            r.ExitCode,
            output,
            address.Success ? IPAddress.Parse(address.Groups[1].Value) : null,
            mapped.Success ? ushort.Parse(mapped.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            mapped.Success ? ushort.Parse(mapped.Groups[3].Value, CultureInfo.InvariantCulture) : null,
            mapped.Success ? uint.Parse(mapped.Groups[4].Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex(@"Public IP address : (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex PublicAddressLine();

    // natpmpc spells it "liftime".
    [GeneratedRegex(@"Mapped public port (\d+) protocol (UDP|TCP) to local port (\d+) li[f]?e?time (\d+)")]
    private static partial Regex MappedLine();
}

/// <summary>What one natpmpc run printed, and the values parsed from it (null when absent).</summary>
internal sealed record NatpmpcResult(int ExitCode, string Output, IPAddress? PublicAddress, ushort? ExternalPort, ushort? InternalPort, uint? LifetimeSeconds);
