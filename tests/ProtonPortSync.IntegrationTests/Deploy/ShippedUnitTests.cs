namespace ProtonPortSync.IntegrationTests.Deploy;

public sealed class ShippedUnitTests
{
    private static Dictionary<string, Dictionary<string, List<string>>> Unit() =>
        SystemdUnitFile.Parse(File.ReadAllText(DeployPaths.ShippedUnit));

    [Fact]
    public void ShippedUnit_SystemdAnalyzeSecurity_ExposureAtMost2()
    {
        var exposure = SystemdUnitFile.SecurityExposure(DeployPaths.ShippedUnit);

        Assert.InRange(exposure, 0.0, 2.0);
    }

    [Theory]
    [InlineData("Type", "notify")]
    [InlineData("NotifyAccess", "main")]
    [InlineData("WatchdogSec", "60")]
    [InlineData("Restart", "on-failure")]
    [InlineData("DynamicUser", "yes")]
    [InlineData("User", "proton-port-sync")]
    [InlineData("LoadCredential", "qbt-password:/etc/proton-port-sync/qbt-password")]
    [InlineData("CapabilityBoundingSet", "")]
    [InlineData("MemoryDenyWriteExecute", "yes")]
    [InlineData("ProtectProc", "invisible")]
    [InlineData("UMask", "0077")]
    public void ShippedUnit_ServiceSection_HasSetting(string key, string value)
    {
        Assert.Equal([value], Unit()["Service"][key]);
    }

    [Fact]
    public void ShippedUnit_ExecStart_ReadsPasswordFromCredentialsDirectory()
    {
        var execStart = Assert.Single(Unit()["Service"]["ExecStart"]);

        Assert.Contains("--qbt-password-file %d/qbt-password", execStart, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedUnit_Dependencies_BindToWireGuardAndWantQbittorrent()
    {
        var unit = Unit()["Unit"];

        Assert.Equal(["wireguard-wg0.service"], unit["BindsTo"]);
        Assert.Contains(unit["After"], v => v.Split(' ').Contains("wireguard-wg0.service"));
        Assert.Contains(unit["After"], v => v.Split(' ').Contains("qbittorrent.service"));
        Assert.Contains(unit["Wants"], v => v.Split(' ').Contains("qbittorrent.service"));
    }

    [Fact]
    public void ShippedUnit_EveryRelaxedSetting_HasReasonComment()
    {
        var lines = File.ReadAllLines(DeployPaths.ShippedUnit);

        foreach (var relaxed in new[] { "SystemCallErrorNumber=", "ProtectProc=", "PrivateUsers=", "RestrictAddressFamilies=" })
        {
            var index = Array.FindIndex(lines, l => l.StartsWith(relaxed, StringComparison.Ordinal));
            Assert.True(index > 0, $"{relaxed} missing");
            Assert.StartsWith("#", lines[index - 1], StringComparison.Ordinal);
        }

        Assert.Contains(lines, l => l.StartsWith('#') && l.Contains("IPAddressDeny", StringComparison.Ordinal));
    }
}
