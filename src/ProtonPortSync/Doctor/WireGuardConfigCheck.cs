using System.Net;
using System.Net.Sockets;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.Doctor;

/// <summary>
/// <c>--wg-config</c>: reads the tunnel's wg-quick configuration (never printing its private key) and says whether
/// Proton enabled port forwarding for that key, and whether the tunnel address and the gateway match the flags. The
/// file is read as the project reads every file it is given (regular file or a link to one, at most
/// <see cref="WireGuardConfig.MaxBytes"/>, a FIFO never waited on). It holds the tunnel's private key, so a file that
/// others can read is a warning (wg-quick warns about the same), not a failure: the check is about port forwarding,
/// and group access is how an unprivileged doctor may be let read it.
/// </summary>
internal sealed class WireGuardConfigCheck(string path, IPAddress? bindAddress, IPAddress gateway) : IDoctorCheck
{
    public const string Name = "wg config";

    private const string NewConfigFix = "in Proton's dashboard (Downloads → WireGuard configuration) create a new configuration with 'NAT-PMP (Port Forwarding)' on and a P2P server, then restart the tunnel with it";

    private const UnixFileMode OtherAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public async Task<DoctorResult> RunAsync(CancellationToken cancellationToken)
    {
        string text;
        UnixFileMode mode;
        try
        {
            (text, mode) = await ReadBoundedAsync(path, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return DoctorResult.Fail(Name, ex.Message, "pass the tunnel's configuration (e.g. /etc/wireguard/wg0.conf) with --wg-config, readable by this user, or leave the flag out");
        }

        return Judge(WireGuardConfig.Parse(text), mode);
    }

    /// <summary>The verdict on a parsed configuration: the worst finding decides, every finding is named.</summary>
    /// <param name="config">The parsed file.</param>
    /// <param name="mode">The file's permissions; access for others is a warning (it holds the private key).</param>
    public DoctorResult Judge(WireGuardConfig config, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var problems = new List<(DoctorVerdict Verdict, string Detail, string Fix)>();
        var found = new List<string>();
        if ((mode & OtherAccess) != 0)
        {
            problems.Add((DoctorVerdict.Warn, $"the file is accessible to every user (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}) and holds the tunnel's private key", $"chmod 600 '{path}' (or 640 with a group that may read it)"));
        }

        switch (config.PortForwarding)
        {
            case true:
                found.Add("Proton's comment says NAT-PMP (Port Forwarding) = on for this key");
                break;
            case false:
                problems.Add((DoctorVerdict.Fail, "Proton's comment says NAT-PMP (Port Forwarding) = off: the gateway will refuse every mapping for this key", NewConfigFix));
                break;
            default:
                problems.Add((DoctorVerdict.Warn, "no '# NAT-PMP (Port Forwarding) = on' comment (not a Proton file, or edited): cannot tell whether port forwarding is on", "if this is a Proton configuration, " + NewConfigFix));
                break;
        }

        var v4 = config.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (bindAddress is not null && v4.Count > 0)
        {
            if (v4.Contains(bindAddress))
            {
                found.Add($"tunnel address {bindAddress} matches --bind-address");
            }
            else
            {
                problems.Add((DoctorVerdict.Fail, $"the tunnel's Address is {string.Join(", ", v4)}, but --bind-address is {bindAddress}", $"pass --bind-address {v4[0]} (or --interface with the tunnel's interface)"));
            }
        }

        if (config.Dns.Count > 0 && config.PortForwarding is not null)
        {
            // Proton's gateway answers NAT-PMP on the address it gives as DNS (10.2.0.1).
            if (config.Dns.Contains(gateway))
            {
                found.Add($"gateway {gateway} is the tunnel's DNS server, as on Proton");
            }
            else
            {
                problems.Add((DoctorVerdict.Warn, $"Proton's gateway is the tunnel's DNS server ({string.Join(", ", config.Dns)}), but --gateway is {gateway}", $"pass --gateway {config.Dns[0]}"));
            }
        }

        if (config.Endpoint is not null)
        {
            found.Add($"endpoint {config.Endpoint} (the public address peers use is the one NAT-PMP reports, which may differ)");
        }

        if (problems.Count == 0)
        {
            return DoctorResult.Ok(Name, $"{path}: {string.Join("; ", found)}");
        }

        var verdict = problems.Any(p => p.Verdict == DoctorVerdict.Fail) ? DoctorVerdict.Fail : DoctorVerdict.Warn;
        return new DoctorResult(Name, verdict, $"{path}: {string.Join("; ", problems.Select(p => p.Detail))}", string.Join("; ", problems.Select(p => p.Fix)));
    }

    private static Task<(string Text, UnixFileMode Mode)> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The shared bounded read: a regular file (or a link to one) only, a FIFO never blocks, a huge file is refused.
        try
        {
            var (bytes, mode) = SecretFileReader.Read(path, "WireGuard configuration", WireGuardConfig.MaxBytes);
            return bytes.Length == 0
                ? throw new InvalidDataException($"{path}: the file is empty, not a wg-quick configuration")
                : Task.FromResult((System.Text.Encoding.UTF8.GetString(bytes), mode));
        }
        catch (SecretFileException ex)
        {
            // The reader's advice is about one-line secrets; keep what it found (up to ';'), the fix is this check's.
            var found = ex.Message.Split(';', 2)[0];
            throw new InvalidDataException(found, ex);
        }
    }
}
