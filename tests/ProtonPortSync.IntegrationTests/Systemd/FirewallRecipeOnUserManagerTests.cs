using ProtonPortSync.IntegrationTests.Deploy;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// The shipped firewall recipe (deploy/systemd/firewall: a path unit that watches the daemon's port file and a root
/// oneshot that puts the port into an nftables set) under a real systemd, with real nft acting on a namespace of the
/// test's own: the daemon stays unprivileged and the port is opened, then follows a change.
/// </summary>
[Collection(RealSystemdGroup.Name)]
public sealed class FirewallRecipeOnUserManagerTests
{
    private const string ShippedPortFile = "/run/proton-port-sync/port";
    private const string ShippedScript = "/usr/local/lib/proton-port-sync/open-forwarded-port";

    [Fact]
    public async Task PortFileWritten_PathUnitRunsTheScript_NftSetHoldsThePortAndFollowsAChange()
    {
        await using var rig = await DaemonUnitRig.StartAsync(environment: new Dictionary<string, string>
        {
            ["TORRENT_CLIENT"] = "none",
            ["PORT_FILE"] = "%t/proton-port-sync/port",
        });
        using var ns = NetworkNamespace.Create("fw");
        ns.Nft("""
            table inet torrent {
              set port { type inet_service; }
              chain input { type filter hook input priority -10; tcp dport @port accept; udp dport @port accept; }
            }
            """);
        InstallRecipe(rig.Manager, ns);

        rig.Manager.Check("start", "proton-port-sync-firewall.path");
        rig.Manager.Check("start", "proton-port-sync.service");

        var first = rig.Gateway.CurrentPort;
        Assert.NotNull(first);
        try
        {
            await SystemdUserManager.WaitUntilAsync(() => SetHolds(ns).SequenceEqual([first.Value]), TimeSpan.FromSeconds(20), $"nft set holding {first}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; path {rig.Manager.Show("proton-port-sync-firewall.path", "ActiveState")}, service {rig.Manager.Show("proton-port-sync-firewall.service", "Result")}; log: {Log(rig.Manager)}; set: {string.Join(',', SetHolds(ns))}", e);
        }

        rig.Gateway.ForcePortChange();
        await SystemdUserManager.WaitUntilAsync(() => rig.Gateway.CurrentPort is { } p && p != first && SetHolds(ns).SequenceEqual([p]), TimeSpan.FromSeconds(20), "nft set following the new port");

        var log = Log(rig.Manager);
        Assert.Contains($"opened port {first}", log, StringComparison.Ordinal);
        Assert.Contains($"opened port {rig.Gateway.CurrentPort}", log, StringComparison.Ordinal);
        Assert.Equal("inactive", rig.Manager.Show("proton-port-sync-firewall.service", "ActiveState")); // a oneshot that finished
        Assert.Equal("success", rig.Manager.Show("proton-port-sync-firewall.service", "Result"));
    }

    /// <summary>The shipped path and service units with their paths moved into the manager's runtime directory and nft run in <paramref name="ns"/>.</summary>
    private static void InstallRecipe(SystemdUserManager manager, NetworkNamespace ns)
    {
        var portFile = Path.Combine(manager.RuntimeDirectory, "proton-port-sync", "port");
        var script = DeployPaths.InRepository("deploy", "systemd", "firewall", "open-forwarded-port");
        foreach (var name in new[] { "proton-port-sync-firewall.path", "proton-port-sync-firewall.service" })
        {
            var text = File.ReadAllText(DeployPaths.InRepository("deploy", "systemd", "firewall", name))
                .Replace(ShippedScript, script, StringComparison.Ordinal)
                .Replace(ShippedPortFile, portFile, StringComparison.Ordinal);
            manager.WriteUnit(name, UserManagerUnit.Transform(text, UserManagerUnit.DaemonCommand(), credentialSource: "/dev/null"));
        }

        // The manager has a private mount namespace, where /run/netns is not mounted: nft goes through this process's.
        manager.WriteDropIn("proton-port-sync-firewall.service", $"""
            [Service]
            Environment="NFT=/usr/bin/nsenter -t {System.Environment.ProcessId} -m -- /usr/sbin/ip netns exec {ns.Name} /usr/sbin/nft"
            StandardOutput=append:{Path.Combine(manager.Root, "firewall.log")}
            StandardError=append:{Path.Combine(manager.Root, "firewall.log")}
            """);
    }

    private static string Log(SystemdUserManager manager)
        => File.Exists(Path.Combine(manager.Root, "firewall.log")) ? File.ReadAllText(Path.Combine(manager.Root, "firewall.log")) : "(none)";

    private static ushort[] SetHolds(NetworkNamespace ns)
    {
        var listing = ns.Exec("nft", "-j", "list", "set", "inet", "torrent", "port");
        var elements = System.Text.Json.JsonDocument.Parse(listing).RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("set", out _))
            .SelectMany(e => e.GetProperty("set").TryGetProperty("elem", out var elem) ? elem.EnumerateArray().Select(x => x.GetUInt16()) : []);
        return [.. elements];
    }
}
