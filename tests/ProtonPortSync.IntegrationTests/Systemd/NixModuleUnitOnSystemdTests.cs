using System.Text;
using ProtonPortSync.IntegrationTests.Deploy;
using ProtonPortSync.Demo;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>
/// The unit nix/module.nix renders, with arguments meant to break the quoting (backslash at the end, quotes, %, $,
/// newlines, spaces, a lone ';'), checked by systemd itself: `systemd-analyze verify` accepts it, and the real
/// manager hands the process exactly the argument list that was configured. And the real daemon run from a rendered
/// unit: ready, mapping, port file, release on stop.
/// </summary>
[Collection(RealSystemdGroup.Name)]
public sealed class NixModuleUnitOnSystemdTests
{
    private const string StoreExe = "/nix/store/00000000000000000000000000000000-proton-port-sync-0.1.0/bin/proton-port-sync";

    private const string RecoveryCommand = "echo 'a\\nb' \"$PORT\" 50% `id`\nsecond line";

    private static readonly string[] HostileArgs = ["DOMAIN\\", "it's", "\"quoted\"", "100%d", "$HOME", "${X}", "two\nlines", "a b", ";", "%%"];

    private const string HostileSettings = """
        { enable = true; qbtPasswordFile = "/run/secrets/q p%"; recovery = "command";
          recoveryCommand = "echo 'a\\nb' \"$PORT\" 50% `id`\nsecond line";
          portFiles = [ "/run/pps/port one" ];
          extraArgs = [ "DOMAIN\\" "it's" "\"quoted\"" "100%d" "$HOME" "\${X}" "two\nlines" "a b" ";" "%%" ]; }
        """;

    private static string RenderedUnit() => SystemdUnitFile.Render(NixModuleEvaluation.Evaluate(HostileSettings).GetProperty("service"));

    [Fact]
    public void ModuleUnit_HostileArguments_PassesSystemdAnalyzeVerify()
    {
        var dir = Directory.CreateTempSubdirectory("pps-deploy-");
        try
        {
            // verify resolves dependencies and the executable: give it stand-ins for both.
            File.WriteAllText(Path.Combine(dir.FullName, "proton-port-sync.service"), RenderedUnit().Replace(StoreExe, "/bin/true", StringComparison.Ordinal));
            foreach (var dependency in new[] { "wireguard-wg0.service", "qbittorrent.service" })
            {
                File.WriteAllText(Path.Combine(dir.FullName, dependency), "[Service]\nExecStart=/bin/true\n");
            }

            var r = Shell.Run("systemd-analyze", ["verify", "--man=no", Path.Combine(dir.FullName, "proton-port-sync.service")]);

            Assert.True(r.ExitCode == 0, $"verify failed: {r.StdErr}{r.StdOut}");
            Assert.DoesNotContain("quoting", r.StdErr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("proton-port-sync.service:", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ModuleUnit_HostileArguments_ReachTheProcessAsExactlyTheConfiguredArgv()
    {
        using var manager = await SystemdUserManager.StartAsync();
        var argvFile = Path.Combine(manager.Root, "argv");
        var dump = Path.Combine(manager.Root, "dump-argv");
        File.WriteAllText(dump, $"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{argvFile}'\n");
        Shell.Check("chmod", "0755", dump);
        var secret = Path.Combine(manager.Root, "secret");
        File.WriteAllText(secret, "x");

        var unit = UserManagerUnit.Transform(RenderedUnit().Replace(StoreExe, UserManagerUnit.ShippedBinary, StringComparison.Ordinal), dump, secret);
        File.WriteAllText(Path.Combine(manager.UnitDirectory, "wireguard-wg0.service"), DaemonUnitRig.TunnelUnitText(Path.Combine(manager.Root, "starts")));
        File.WriteAllText(Path.Combine(manager.UnitDirectory, "proton-port-sync.service"), unit);
        manager.WriteDropIn("proton-port-sync.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\n");

        manager.Check("start", "proton-port-sync.service");

        var argv = Encoding.UTF8.GetString(File.ReadAllBytes(argvFile)).Split('\0')[..^1];
        Assert.Equal(HostileArgs, argv[^HostileArgs.Length..]);
        Assert.Equal(RecoveryCommand, argv[Array.IndexOf(argv, "--recovery-command") + 1]);
        Assert.Equal("/run/pps/port one", argv[Array.IndexOf(argv, "--port-file") + 1]);
        var credential = argv[Array.IndexOf(argv, "--qbt-password-file") + 1];
        Assert.EndsWith("/qbt-password", credential, StringComparison.Ordinal);
        Assert.DoesNotContain("%", credential, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModuleUnit_ClientNoneWithAPortFile_RealDaemonReadyKeepsThePortFileAndReleasesOnStop()
    {
        using var manager = await SystemdUserManager.StartAsync();
        await using var gateway = ProtonGatewayEmulator.Start(TimeProvider.System);
        var portFile = Path.Combine(manager.RuntimeDirectory, "proton-port-sync", "port");
        var log = Path.Combine(manager.Root, "daemon.log");
        var settings = $$"""
            { enable = true; client = "none"; gateway = "{{gateway.LocalEndPoint}}"; bindAddress = "127.0.0.1";
              portFiles = [ "{{portFile}}" ]; renewInterval = 2; recovery = "none";
              extraArgs = [ "--request-timeout" "1" ]; }
            """;
        var rendered = SystemdUnitFile.Render(NixModuleEvaluation.Evaluate(settings).GetProperty("service"));
        var unit = UserManagerUnit.Transform(rendered.Replace(StoreExe, UserManagerUnit.ShippedBinary, StringComparison.Ordinal), UserManagerUnit.DaemonCommand(), credentialSource: "/dev/null");
        File.WriteAllText(Path.Combine(manager.UnitDirectory, "wireguard-wg0.service"), DaemonUnitRig.TunnelUnitText(Path.Combine(manager.Root, "starts")));
        File.WriteAllText(Path.Combine(manager.UnitDirectory, "proton-port-sync.service"), unit);
        manager.WriteDropIn("proton-port-sync.service", $"[Service]\nStandardOutput=append:{log}\nStandardError=append:{log}\n");

        // Type=notify: start returns after READY=1, which the daemon sends after its first cycle.
        manager.Check("start", "proton-port-sync.service");

        var mapped = gateway.CurrentPort;
        Assert.True(mapped is not null, File.Exists(log) ? File.ReadAllText(log) : "no log");
        Assert.Equal("active", manager.Show("proton-port-sync.service", "ActiveState"));
        // A port file is a sink on a worker of its own: wait (bounded) for its first write.
        await SystemdUserManager.WaitUntilAsync(() => File.Exists(portFile), TimeSpan.FromSeconds(10), "the port file's first write");

        Assert.Equal($"{mapped}\n", File.ReadAllText(portFile));

        manager.Check("stop", "proton-port-sync.service");

        Assert.Null(gateway.CurrentPort);
        Assert.Equal("success", manager.Show("proton-port-sync.service", "Result"));
    }
}
