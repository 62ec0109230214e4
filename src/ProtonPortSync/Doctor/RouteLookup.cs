using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ProtonPortSync.Doctor;

/// <summary>Which device a packet to a destination leaves by, or why there is no route.</summary>
internal sealed record RouteLookup(string? Device, string? Error);

/// <summary>The kernel's routing decision; a seam so the route check is tested on fixed answers.</summary>
internal interface IRouteLookup
{
    /// <summary>The route to <paramref name="destination"/>, as a socket bound to <paramref name="source"/> (or unbound) would get it.</summary>
    Task<RouteLookup> GetAsync(IPAddress destination, IPAddress? source, CancellationToken cancellationToken);
}

/// <summary>Asks the kernel through <c>ip route get</c> (iproute2), which applies the policy rules exactly as a socket would.</summary>
internal sealed partial class IpRouteLookup(TimeProvider time) : IRouteLookup
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<RouteLookup> GetAsync(IPAddress destination, IPAddress? source, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in source is null ? ["-o", "route", "get", destination.ToString()] : new[] { "-o", "route", "get", destination.ToString(), "from", source.ToString() })
        {
            psi.ArgumentList.Add(a);
        }

        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new RouteLookup(null, $"cannot run `ip` ({ex.Message}); install iproute2");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
            var stderr = process.StandardError.ReadToEndAsync(linked.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                return new RouteLookup(null, string.Create(CultureInfo.InvariantCulture, $"`ip route get` did not answer within {Timeout.TotalSeconds} s"));
            }

            return process.ExitCode == 0
                ? Parse(await stdout)
                : new RouteLookup(null, (await stderr).Trim());
        }
    }

    /// <summary>Reads the device out of one line of <c>ip -o route get</c>: <c>10.2.0.1 from 10.2.0.2 dev wg0 table 51820 uid 0</c>.</summary>
    public static RouteLookup Parse(string output)
    {
        var match = DevicePattern().Match(output);
        return match.Success ? new RouteLookup(match.Groups[1].Value, null) : new RouteLookup(null, $"no device in `{output.Trim()}`");
    }

    [GeneratedRegex(@"\bdev (\S+)")]
    private static partial Regex DevicePattern();
}
