using ProtonPortSync.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 13: a real qbittorrent-nox 4.5.2 serving its WebUI over HTTPS (WebUI\HTTPS\Enabled) with a certificate the
/// test made with openssl and signed by its own CA. Without --qbt-ca-file the daemon and doctor refuse it and say why
/// and what to do; with it, the daemon keeps qBittorrent on the forwarded port.
/// </summary>
public sealed class HttpsWebUiEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Daemon_QBittorrentOverHttps_RefusedWithoutCaFileSyncedWithIt()
    {
        await using var rig = await EmulatedGatewayRig.StartAsync("https", WebUiCertificate.Create);
        var ca = rig.QBittorrent.Https!.CaPath;
        Assert.StartsWith("https://", rig.QBittorrent.BaseUrl.ToString(), StringComparison.Ordinal);

        // doctor without the CA file: the qbittorrent line fails naming the URL, the reason and the flag.
        using (var doctor = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("doctor")))
        {
            Assert.True(doctor.Process.WaitForExit(Bound), $"doctor did not finish within {Bound}:\n{doctor.Output}");
            output.WriteLine(doctor.Output);
            Assert.NotEqual(0, doctor.Process.ExitCode);
            Assert.Contains($"qBittorrent at {rig.QBittorrent.BaseUrl} presented a TLS certificate that is not trusted: untrusted chain", doctor.Output, StringComparison.Ordinal);
            Assert.Contains("give --qbt-ca-file", doctor.Output, StringComparison.Ordinal);
        }

        // The daemon without it: refused at the first cycle, at Error level (an operator must act), never synced.
        using (var refused = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("run")))
        {
            try
            {
                var line = await refused.WaitForEventAsync(2015, Bound);
                Assert.Contains("untrusted chain: the certificate 'CN=127.0.0.1' (issuer 'CN=proton-port-sync test CA')", line, StringComparison.Ordinal);
                Assert.Contains("Give --qbt-ca-file with the server's certificate or the CA that signed it", line, StringComparison.Ordinal);
                Assert.DoesNotContain("[2012]", refused.Output, StringComparison.Ordinal);
                Assert.Equal(0, refused.Terminate(TimeSpan.FromSeconds(5)));
            }
            finally
            {
                output.WriteLine(refused.Output);
            }
        }

        // doctor and the daemon with the CA file: the CA file checks out, qBittorrent answers, the port is set.
        using (var doctor = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("doctor", "--qbt-ca-file", ca)))
        {
            Assert.True(doctor.Process.WaitForExit(Bound), $"doctor did not finish within {Bound}:\n{doctor.Output}");
            output.WriteLine(doctor.Output);
            Assert.Contains("holds 1 certificate(s): 'CN=proton-port-sync test CA'", doctor.Output, StringComparison.Ordinal);
            Assert.Contains($"ok    qbittorrent  {rig.QBittorrent.BaseUrl} answers, credentials accepted", doctor.Output, StringComparison.Ordinal);
        }

        using var daemon = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("run", "--qbt-ca-file", ca));
        try
        {
            await daemon.WaitForEventAsync(2012, Bound);
            var port = rig.Gateway.CurrentPort!.Value;
            Assert.True(await rig.QBittorrent.WaitUntilListeningAsync(port), rig.QBittorrent.ListeningSockets());
            Assert.DoesNotContain("not trusted", daemon.Output, StringComparison.Ordinal);

            // The counterpart of SessionReuseEndToEndTests' footprint check: TLS does map OpenSSL, so that check can fail.
            Assert.Contains("libcrypto", File.ReadAllText($"/proc/{daemon.Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/maps"), StringComparison.Ordinal);
            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public async Task Run_CaFileWithHttpUrl_ExitsTwoSayingUseHttps()
    {
        await using var rig = await EmulatedGatewayRig.StartAsync("httpca");
        var ca = WebUiCertificate.Create(rig.Directory).CaPath;

        using var daemon = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("run", "--qbt-ca-file", ca));

        Assert.True(daemon.Process.WaitForExit(Bound), daemon.Output);
        output.WriteLine(daemon.Output);
        Assert.Equal(2, daemon.Process.ExitCode);
        Assert.Contains("--qbt-ca-file was given but the URL 'http://127.0.0.1:8080/' is http://", daemon.Output, StringComparison.Ordinal);
    }
}
