namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>deploy/systemd/proton-port-sync@.service: the plain unit, per wg-quick@ instance, nothing else changed.</summary>
public sealed class TemplateUnitTests
{
    private static readonly string TemplatePath = DeployPaths.InRepository("deploy", "systemd", "proton-port-sync@.service");

    private static readonly string[] PerInstance = ["ExecStart", "User", "Group", "StateDirectory", "RuntimeDirectory"];

    private static Dictionary<string, Dictionary<string, List<string>>> Parse(string path) => SystemdUnitFile.Parse(File.ReadAllText(path));

    [Fact]
    public void Template_SystemdAnalyzeSecurity_ExposureAtMost2()
        => Assert.InRange(SystemdUnitFile.SecurityExposure(TemplatePath), 0.0, 2.0);

    [Fact]
    public void Template_ServiceSection_SameAsPlainUnitExceptPerInstanceSettings()
    {
        var plain = Parse(DeployPaths.ShippedUnit)["Service"];
        var template = Parse(TemplatePath)["Service"];

        Assert.Equal(plain.Keys.Order(StringComparer.Ordinal), template.Keys.Order(StringComparer.Ordinal));
        foreach (var key in plain.Keys.Except(PerInstance))
        {
            Assert.True(plain[key].SequenceEqual(template[key]), $"{key} differs");
        }
    }

    [Fact]
    public void Template_Wiring_BoundToWantedByAndRestartsWgQuickOfItsInstance()
    {
        var unit = Parse(TemplatePath);

        Assert.Equal(["wg-quick@%i.service"], unit["Unit"]["BindsTo"]);
        Assert.Contains("wg-quick@%i.service", unit["Unit"]["After"][0], StringComparison.Ordinal);
        Assert.Contains("wg-quick@%i.service", unit["Install"]["WantedBy"][0], StringComparison.Ordinal);
        Assert.EndsWith(" --wg-unit wg-quick@%i.service", unit["Service"]["ExecStart"][0], StringComparison.Ordinal);
        Assert.Equal(["proton-port-sync-%i"], unit["Service"]["User"]);
        Assert.Equal(["proton-port-sync-%i"], unit["Service"]["StateDirectory"]);
    }

    [Fact]
    public void PlainUnit_Wiring_WantedByTheTunnelAndKeepsHistoryInStateDirectory()
    {
        var unit = Parse(DeployPaths.ShippedUnit);

        Assert.Contains("wireguard-wg0.service", unit["Install"]["WantedBy"][0], StringComparison.Ordinal);
        Assert.Equal(["proton-port-sync"], unit["Service"]["StateDirectory"]);
        Assert.Equal(["64M"], unit["Service"]["MemoryMax"]);
        Assert.Equal(["64"], unit["Service"]["TasksMax"]);
    }
}
