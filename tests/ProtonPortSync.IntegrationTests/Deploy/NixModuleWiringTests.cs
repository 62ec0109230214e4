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

    [Fact]
    public void Evaluate_WgConfigFile_PassedAsWgConfigAndNeverAsCredential()
    {
        var service = Service("wgConfigFile = \"/etc/wireguard/wg 0.conf\";");
        var execStart = service.GetProperty("serviceConfig").GetProperty("ExecStart").GetString()!;

        Assert.Contains(" \"--wg-config\" \"/etc/wireguard/wg 0.conf\" ", execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("wg 0.conf", service.GetProperty("serviceConfig").GetProperty("LoadCredential").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wg0.conf")]
    [InlineData("/nix/store/00000000000000000000000000000000-wg0.conf")]
    public void Evaluate_WgConfigFileRelativeOrInTheStore_FailsAssertionNamingThePrivateKey(string path)
    {
        var result = NixModuleEvaluation.Evaluate($$"""{ enable = true; qbtPasswordFile = "/run/secrets/qbt"; wgConfigFile = "{{path}}"; }""");

        var message = Assert.Single(result.GetProperty("failedAssertions").EnumerateArray()).GetString();
        Assert.Contains("outside the Nix store", message, StringComparison.Ordinal);
        Assert.Contains("private key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WgConfigFileAsNixPath_RejectedByItsType()
    {
        var r = NixModuleEvaluation.Run("{ enable = true; qbtPasswordFile = \"/run/secrets/qbt\"; wgConfigFile = /etc/wireguard/wg0.conf; }");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("wgConfigFile: expected null or string", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_QbtAnnouncePortForwarded_PassesTheFlag()
    {
        var execStart = Service("qbtAnnouncePort = \"forwarded\";").GetProperty("serviceConfig").GetProperty("ExecStart").GetString()!;

        Assert.Contains(" \"--qbt-announce-port\" \"forwarded\" ", execStart, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_TransmissionPortTest_PassesTheSwitchOnlyWhenOn(bool on)
    {
        var execStart = NixModuleEvaluation.Evaluate($$"""{ enable = true; client = "transmission"; transmission.portTest = {{(on ? "true" : "false")}}; }""")
            .GetProperty("service").GetProperty("serviceConfig").GetProperty("ExecStart").GetString()!;

        Assert.Equal(on, execStart.Contains(" \"--transmission-port-test\" ", StringComparison.Ordinal));
    }
}
