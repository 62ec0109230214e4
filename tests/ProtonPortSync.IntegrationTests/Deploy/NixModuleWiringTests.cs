namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>The module's come-back wiring, network namespace, state directory and the port-file / on-change lists.</summary>
public sealed class NixModuleWiringTests
{
    private static System.Text.Json.JsonElement Service(string extra)
        => NixModuleEvaluation.Evaluate($$"""{ enable = true; qbtPasswordFile = "/run/secrets/qbt"; {{extra}} }""").GetProperty("service");

    [Fact]
    public void Evaluate_Defaults_WantedByTheTunnelSoItComesBackWithIt()
    {
        var service = Service("wgUnit = \"wg-quick@wg0.service\";");

        Assert.Equal(["multi-user.target", "wg-quick@wg0.service"], SystemdUnitFile.Values(service.GetProperty("wantedBy")));
        Assert.Equal(["wg-quick@wg0.service"], SystemdUnitFile.Values(service.GetProperty("bindsTo")));
        Assert.Equal("proton-port-sync", service.GetProperty("serviceConfig").GetProperty("StateDirectory").GetString());
        Assert.False(service.GetProperty("serviceConfig").TryGetProperty("NetworkNamespacePath", out _));
    }

    [Theory]
    [InlineData("wg", "/run/netns/wg")]
    [InlineData("/var/run/netns/vpn", "/var/run/netns/vpn")]
    public void Evaluate_NetworkNamespace_SetsPathAndBindsToItsUnit(string ns, string path)
    {
        var service = Service($"networkNamespace = \"{ns}\"; networkNamespaceUnit = \"wg.service\";");

        Assert.Equal(path, service.GetProperty("serviceConfig").GetProperty("NetworkNamespacePath").GetString());
        Assert.Contains("wg.service", SystemdUnitFile.Values(service.GetProperty("bindsTo")));
        Assert.Contains("wg.service", SystemdUnitFile.Values(service.GetProperty("after")));
    }

    [Fact]
    public void Evaluate_PortFilesAndOnChangeCommands_RepeatTheirFlagsEscaped()
    {
        var execStart = Service("""portFiles = [ "/run/a" "/run/b c" ]; onChangeCommands = [ "nft add element inet f p { $PORT }" "echo 100%" ];""")
            .GetProperty("serviceConfig").GetProperty("ExecStart").GetString()!;

        Assert.Contains(" \"--port-file\" \"/run/a\" \"--port-file\" \"/run/b c\" ", execStart, StringComparison.Ordinal);
        Assert.Contains(" \"--on-change-command\" \"nft add element inet f p { $$PORT }\" \"--on-change-command\" \"echo 100%%\" ", execStart, StringComparison.Ordinal);
    }
}
