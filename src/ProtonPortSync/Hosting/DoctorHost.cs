using Microsoft.Extensions.Logging;
using ProtonPortSync.Doctor;
using ProtonPortSync.Processes;

namespace ProtonPortSync.Hosting;

/// <summary>
/// `doctor` with the daemon's own flags: the network checks, the WireGuard configuration (with --wg-config), the gateway, then the selected client's checks (from
/// its module) and one check per port file, built with the daemon's own <see cref="DaemonParts"/>.
/// </summary>
internal static class DoctorHost
{
    public static async Task<int> RunAsync(DaemonOptions options, TextWriter stdout, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var links = new SystemNetworkLinks();
        using var mapper = DaemonParts.CreateMapper(options, time, loggers);
        var client = options.Client?.Create(time, loggers);
        try
        {
            var checks = new List<IDoctorCheck>
            {
                new BindAddressCheck(links, options.BindAddress, options.Interface),
                new RouteCheck(links, new IpRouteLookup(time), options.Gateway.Address, options.BindAddress, options.Interface),
            };
            if (options.WireGuardConfig is { } wgConfig)
            {
                // Before the gateway: "forwarding is off for this key" explains a refused mapping.
                checks.Add(new WireGuardConfigCheck(wgConfig, options.BindAddress, options.Gateway.Address));
            }

            checks.Add(new GatewayCheck(mapper, options.Gateway, options.RequestTimeout));
            if (options.Client is { } setup && client is not null)
            {
                checks.AddRange(setup.SecretFileChecks());
                checks.AddRange(setup.DoctorChecks(client, new DoctorTunnel(links, options.BindAddress, options.Interface)));
            }

            checks.AddRange(RecoveryPathChecks.For(options.Recovery, options.WgUnit));
            checks.AddRange(options.PortFiles.Select(p => new PortFileCheck(p)));
            if (options.OnChangeCommands.Count > 0)
            {
                checks.Add(new HookCheck(options.OnChangeCommands.Count, ShellCommandRunner.FindSetsid(Environment.GetEnvironmentVariable("PATH"))));
            }

            return await DoctorCommand.RunChecksAsync(checks, stdout, cancellationToken);
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }
}
