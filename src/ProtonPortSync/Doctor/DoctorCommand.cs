using Microsoft.Extensions.Logging;
using ProtonPortSync.Cli;
using ProtonPortSync.Hosting;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Doctor;

/// <summary>
/// `doctor`: with the daemon's own flags, checks what the daemon needs, one line each with a verdict and a fix.
/// Exit code 0 when nothing failed (warnings allowed), 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;

    public static async Task<int> RunAsync(DaemonOptions options, TextWriter stdout, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var links = new SystemNetworkLinks();
        using var mapper = new NatPmpPortMapper(options.Gateway, options.BindAddress, options.Interface, options.InternalPort, options.Lifetime, time, loggers.CreateLogger<NatPmpPortMapper>());
        var client = DaemonHost.CreateClient(options, time, loggers);
        try
        {
            var checks = new List<IDoctorCheck>
            {
                new BindAddressCheck(links, options.BindAddress, options.Interface),
                new RouteCheck(links, new IpRouteLookup(time), options.Gateway.Address, options.BindAddress, options.Interface),
                new GatewayCheck(mapper, options.Gateway, options.RequestTimeout),
            };
            checks.AddRange(ClientChecks(options, client));
            checks.AddRange(RecoveryPathChecks.For(options));
            return await RunChecksAsync(checks, stdout, cancellationToken);
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs the checks in order, prints each as it ends, and returns the exit code.</summary>
    public static async Task<int> RunChecksAsync(IReadOnlyList<IDoctorCheck> checks, TextWriter stdout, CancellationToken cancellationToken)
    {
        var failed = false;
        foreach (var check in checks)
        {
            var result = await check.RunAsync(cancellationToken);
            failed |= result.Verdict == DoctorVerdict.Fail;
            await stdout.WriteLineAsync(Format(result));
        }

        return failed ? ExitFailed : ExitOk;
    }

    /// <summary><c>fail  gateway       10.2.0.1:5351 refused … — fix: …</c></summary>
    public static string Format(DoctorResult r)
    {
        var verdict = r.Verdict switch
        {
            DoctorVerdict.Ok => "ok",
            DoctorVerdict.Warn => "warn",
            _ => "fail",
        };
        return $"{verdict,-5} {r.Name,-12} {r.Detail}{(r.Fix is null ? string.Empty : $" — fix: {r.Fix}")}";
    }

    private static IEnumerable<IDoctorCheck> ClientChecks(DaemonOptions options, object client)
    {
        if (options.Client == TorrentClientKind.File)
        {
            yield return new PortFileCheck(options.PortFile!);
            yield break;
        }

        if (options.Client == TorrentClientKind.Transmission)
        {
            if (options.TransmissionPasswordFile is { } t)
            {
                yield return new SecretFileCheck(t, "Transmission password file");
            }

            yield return new TorrentClientCheck((ITorrentClient)client, options.TransmissionUrl, "--transmission-user and --transmission-password-file");
            yield return new TransmissionLeakCheck(((TransmissionClient)client).GetBindingAsync, options.BindAddress, options.Interface);
            yield break;
        }

        if (options.Client == TorrentClientKind.Deluge)
        {
            if (options.DelugePasswordFile is { } d)
            {
                yield return new SecretFileCheck(d, "Deluge password file");
            }

            yield return new TorrentClientCheck((ITorrentClient)client, options.DelugeUrl, "--deluge-password-file");
            yield break;
        }

        // The secret file first: a bad file costs no login attempt.
        var secret = options.QbtPasswordFile ?? options.QbtApiKeyFile;
        if (secret is not null)
        {
            yield return new SecretFileCheck(secret, options.QbtPasswordFile is null ? "qBittorrent API key file" : "qBittorrent password file");
        }

        var preferences = QBittorrentLeakCheck.Once<QBittorrentPreferencesSnapshot>(((QBittorrentClient)client).GetPreferencesAsync);
        yield return new QBittorrentCheck(preferences, options.QbtUrl);
        yield return new QBittorrentLeakCheck(preferences, new SystemNetworkLinks(), options.BindAddress, options.Interface);
    }
}
