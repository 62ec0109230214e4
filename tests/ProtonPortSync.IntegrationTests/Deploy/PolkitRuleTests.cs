using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

public sealed class PolkitRuleTests
{
    private const string ManageUnits = "org.freedesktop.systemd1.manage-units";

    private static string?[] Answers(string rulesFile, params object[] requests)
    {
        var r = Shell.Run("node", [DeployPaths.PolkitHarness, rulesFile, JsonSerializer.Serialize(requests)]);
        Assert.True(r.ExitCode == 0, $"node could not run {rulesFile}: {r.StdErr}");
        return JsonSerializer.Deserialize<string?[]>(r.StdOut)!;
    }

    private static object Request(string user, string unit, string verb, string id = ManageUnits) => new { id, user, unit, verb };

    [Fact]
    public void ShippedRule_DaemonRestartsWgUnit_IsAllowed()
    {
        Assert.Equal(new List<string?> { "yes" }, Answers(DeployPaths.PolkitRule, Request("proton-port-sync", "wireguard-wg0.service", "restart")).ToList());
    }

    [Fact]
    public void ShippedRule_AnythingElse_IsNotHandled()
    {
        var answers = Answers(
            DeployPaths.PolkitRule,
            Request("proton-port-sync", "wireguard-wg0.service", "stop"),
            Request("proton-port-sync", "wireguard-wg0.service", "start"),
            Request("proton-port-sync", "sshd.service", "restart"),
            Request("nobody", "wireguard-wg0.service", "restart"),
            Request("proton-port-sync", "wireguard-wg0.service", "restart", "org.freedesktop.systemd1.manage-unit-files"));

        Assert.All(answers, Assert.Null);
    }

    [Fact]
    public void ShippedRule_TemplateInstanceUser_MayRestartOnlyItsOwnWgQuickUnit()
    {
        var answers = Answers(
            DeployPaths.PolkitRule,
            Request("proton-port-sync-wg0", "wg-quick@wg0.service", "restart"),
            Request("proton-port-sync-wg0", "wg-quick@wg1.service", "restart"),
            Request("proton-port-sync-wg0", "wg-quick@wg0.service", "stop"),
            Request("proton-port-sync-wg0", "wireguard-wg0.service", "restart"),
            Request("proton-port-sync-", "wg-quick@.service", "restart"),
            Request("proton-port-sync", "wg-quick@wg0.service", "restart"));

        Assert.Equal(new List<string?> { "yes", null, null, null, null, null }, answers.ToList());
    }

    [Fact]
    public void ModuleRule_CustomWgUnit_AllowsOnlyThatUnit()
    {
        var rule = NixModuleEvaluation.Evaluate("""{ enable = true; wgUnit = "wg-quick-proton.service"; }""")
            .GetProperty("polkit").GetProperty("extraConfig").GetString()!;
        var dir = Directory.CreateTempSubdirectory("pps-deploy-");
        try
        {
            var file = Path.Combine(dir.FullName, "50-proton-port-sync.rules");
            File.WriteAllText(file, rule);

            var answers = Answers(
                file,
                Request("proton-port-sync", "wg-quick-proton.service", "restart"),
                Request("proton-port-sync", "wireguard-wg0.service", "restart"));

            Assert.Equal(new List<string?> { "yes", null }, answers.ToList());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
