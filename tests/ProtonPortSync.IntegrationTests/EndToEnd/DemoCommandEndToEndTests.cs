using System.Globalization;
using System.Text.RegularExpressions;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.EndToEnd;

/// <summary>`proton-port-sync demo`, the README's first command, as a process (in a namespace of its own: loopback only).</summary>
public sealed partial class DemoCommandEndToEndTests
{
    [Fact]
    public async Task Demo_PortFile_FollowsTheEmulatedGatewaysPortChanges()
    {
        using var ns = NetworkNamespace.Create("demo");
        var directory = Directory.CreateTempSubdirectory("pps-demo-").FullName;
        var portFile = Path.Combine(directory, "forwarded_port");
        try
        {
            using var demo = DaemonProcess.Start(ns, ["demo", "--duration", "10", "--change-every", "3", "--renew-interval", "1", "--port-file", portFile]);
            Assert.True(demo.Process.WaitForExit(TimeSpan.FromSeconds(30)), demo.Output);

            Assert.True(demo.Process.ExitCode == 0, demo.Output);
            var ports = PortLine().Matches(demo.Output).Select(m => int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.True(ports.Count >= 3, $"expected the first port and at least two changes:\n{demo.Output}");
            Assert.Equal(ports.Count, ports.Distinct().Count());
            Assert.Contains($"the port file {portFile} set to {ports[0]} and read back", demo.Output, StringComparison.Ordinal);
            Assert.Contains("stopped after", demo.Output, StringComparison.Ordinal);

            // The mappings were deleted on stop: the file that named their port is gone, and the demo said so.
            Assert.False(File.Exists(portFile), demo.Output);
            Assert.Contains($"demo: removed the port file {portFile}", demo.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_PortFileEditedByHand_SaysWhatItHeldAndSetsItBack()
    {
        using var ns = NetworkNamespace.Create("demo");
        var directory = Directory.CreateTempSubdirectory("pps-demo-").FullName;
        var portFile = Path.Combine(directory, "forwarded_port");
        try
        {
            using var demo = DaemonProcess.Start(ns, ["demo", "--duration", "30", "--change-every", "600", "--renew-interval", "1", "--internal-port-reply", "zero", "--port-file", portFile]);
            await demo.Process.WaitForLineAsync(l => l.Contains("read back", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            var port = int.Parse(PortLine().Match(demo.Output).Groups["port"].Value, CultureInfo.InvariantCulture);
            var edited = port == 12345 ? 12346 : 12345;

            await File.WriteAllTextAsync(portFile, $"{edited}\n");

            var line = await demo.Process.WaitForLineAsync(l => l.Contains("set back to", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            Assert.Contains($"the port file {portFile} said {edited}; set back to {port}", line, StringComparison.Ordinal);
            Assert.Equal($"{port}\n", await File.ReadAllTextAsync(portFile));
            demo.Process.Signal(2);
            Assert.True(demo.Process.WaitForExit(TimeSpan.FromSeconds(10)), demo.Output);
            Assert.Equal(0, demo.Process.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_WithQbtUrl_KeepsRealQBittorrentOnTheEmulatedPort()
    {
        using var qbt = await QBittorrentInstance.StartAsync(listenPort: 6881);
        var passwordFile = qbt.WritePasswordFile();
        using var demo = DaemonProcess.Start(qbt.Namespace, ["demo", "--duration", "30", "--change-every", "60", "--qbt-url", qbt.BaseUrl.ToString(), "--qbt-password-file", passwordFile]);

        var line = await demo.Process.WaitForLineAsync(l => l.Contains("qBittorrent at", StringComparison.Ordinal) && l.Contains("read back", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var port = int.Parse(PortLine().Match(demo.Output).Groups["port"].Value, CultureInfo.InvariantCulture);

        Assert.True(await qbt.WaitUntilListeningAsync(port), $"{line}\n{qbt.ListeningSockets()}");
        demo.Process.Signal(2);
        Assert.True(demo.Process.WaitForExit(TimeSpan.FromSeconds(5)), demo.Output);
        Assert.Equal(0, demo.Process.ExitCode);
    }

    [GeneratedRegex(@"the gateway (forwards port|moved the forwarded port from \d+ to) (?<port>\d+)")]
    private static partial Regex PortLine();
}
