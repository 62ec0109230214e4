using System.Globalization;
using System.Text.RegularExpressions;
using ProtonPortSync.IntegrationTests.Infrastructure;
using ProtonPortSync.NatPmp;
using Xunit.Abstractions;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>
/// Issue 13 "Sessions" and issue 10 (footprint), against a real qbittorrent-nox 4.5.2 over plain http://: the daemon
/// keeps one WebUI session over many renewal cycles (qBittorrent master caps sessions, web_ui_sessions_count_limit),
/// and an http-only daemon never maps OpenSSL.
/// </summary>
public sealed partial class SessionReuseEndToEndTests(ITestOutputHelper output)
{
    private const int Cycles = 30;

    [Fact]
    public async Task Daemon_ThirtyRenewalCyclesOverHttp_OneQBittorrentLoginAndNoOpenSslMapped()
    {
        await using var rig = await EmulatedGatewayRig.StartAsync("session");
        using var daemon = DaemonProcess.Start(rig.Namespace, rig.DaemonArgs("run"));
        try
        {
            await daemon.WaitForEventAsync(2012, TimeSpan.FromSeconds(30));

            // Bounded by cycles seen at the gateway (each renewal is followed by a read of qBittorrent's port), not by time.
            var first = rig.Gateway.RequestCount(NatPmpOpcode.MapTcp);
            for (var i = 0; i < 1200 && rig.Gateway.RequestCount(NatPmpOpcode.MapTcp) < first + Cycles; i++)
            {
                await Task.Delay(100);
            }

            var renewals = rig.Gateway.RequestCount(NatPmpOpcode.MapTcp) - first;
            output.WriteLine($"{renewals} renewals after the first sync");
            Assert.True(renewals >= Cycles, $"only {renewals} renewals:\n{daemon.Output}");

            // Footprint: over http:// nothing loads libssl/libcrypto (+3 MB resident).
            var maps = File.ReadAllText($"/proc/{daemon.Process.Pid.ToString(CultureInfo.InvariantCulture)}/maps");
            Assert.Contains("libc.so", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("libcrypto", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("libssl", maps, StringComparison.Ordinal);

            Assert.Equal(0, daemon.Terminate(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }

        // qBittorrent logs every session it creates ("WebAPI login success"); stopped, its log file is complete.
        rig.QBittorrent.Stop();
        var log = File.ReadAllText(rig.QBittorrent.LogFile);
        output.WriteLine(log);
        Assert.Single(LoginSuccess().Matches(log));
        Assert.Single(Regex.Matches(daemon.Output, @"\[2100\]"));
        Assert.DoesNotContain("[2101]", daemon.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("WebAPI login success")]
    private static partial Regex LoginSuccess();
}
