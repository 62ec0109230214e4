using System.Text.Json;

namespace ProtonPortSync.IntegrationTests.Deploy;

public sealed class NixModuleTests
{
    private const string Store = "/nix/store/00000000000000000000000000000000-proton-port-sync-0.1.0";
    private const string WithPassword = """{ enable = true; qbtPasswordFile = "/run/secrets/qbt"; }""";

    private static JsonElement ServiceConfig(JsonElement result) => result.GetProperty("service").GetProperty("serviceConfig");

    [Fact]
    public void Evaluate_Defaults_ExecStartIsExactArgv()
    {
        var result = NixModuleEvaluation.Evaluate(WithPassword);

        Assert.Equal(
            $"{Store}/bin/proton-port-sync \"run\" \"--gateway\" \"10.2.0.1\" \"--bind-address\" \"10.2.0.2\" \"--internal-port\" \"0\""
            + " \"--suggested-port\" \"1\" \"--lifetime\" \"60\" \"--renew-interval\" \"45\" \"--max-failures\" \"3\""
            + " \"--qbt-url\" \"http://127.0.0.1:8080\" \"--qbt-user\" \"admin\" \"--qbt-password-file\" \"%d/qbt-password\""
            + " \"--recovery\" \"systemd\" \"--wg-unit\" \"wireguard-wg0.service\" \"--recovery-cooldown\" \"10\""
            + " \"--max-recoveries-per-hour\" \"4\" \"--recovery-timeout\" \"20\" \"--log-level\" \"information\"",
            ServiceConfig(result).GetProperty("ExecStart").GetString());
        Assert.Empty(result.GetProperty("failedAssertions").EnumerateArray());
    }

    [Fact]
    public void Evaluate_ArgumentsWithSpacesQuotesAndSpecifiers_AreEscapedForSystemd()
    {
        var result = NixModuleEvaluation.Evaluate("""
            { enable = true; qbtApiKeyFile = "/run/secrets/key"; recovery = "command";
              recoveryCommand = "systemctl restart wg-quick@wg0 100%"; interface = "wg0";
              metrics.enable = true; metrics.address = "::1"; extraArgs = [ "--qbt-reannounce" "it's $HOME" ]; }
            """);

        var execStart = ServiceConfig(result).GetProperty("ExecStart").GetString()!;
        Assert.Contains(" \"run\" \"--gateway\" \"10.2.0.1\" \"--interface\" \"wg0\" \"--internal-port\" ", execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("--bind-address", execStart, StringComparison.Ordinal);
        Assert.Contains(" \"--qbt-api-key-file\" \"%d/qbt-api-key\" ", execStart, StringComparison.Ordinal);
        Assert.Contains(" \"--recovery\" \"command\" \"--recovery-command\" \"systemctl restart wg-quick@wg0 100%%\" ", execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("--wg-unit", execStart, StringComparison.Ordinal);
        Assert.Contains(" \"--metrics-addr\" \"[::1]:9834\" ", execStart, StringComparison.Ordinal);
        Assert.EndsWith(" \"--log-level\" \"information\" \"--qbt-reannounce\" \"it's $$HOME\"", execStart, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SecretFiles_AreCredentialsNeverArguments()
    {
        var password = NixModuleEvaluation.Evaluate("""{ enable = true; qbtPasswordFile = "/run/secrets/qbt pass%"; }""");
        var apiKey = NixModuleEvaluation.Evaluate("""{ enable = true; qbtApiKeyFile = "/run/secrets/key"; }""");

        Assert.Equal(["qbt-password:/run/secrets/qbt pass%%"], SystemdUnitFile.Values(ServiceConfig(password).GetProperty("LoadCredential")));
        Assert.Equal(["qbt-api-key:/run/secrets/key"], SystemdUnitFile.Values(ServiceConfig(apiKey).GetProperty("LoadCredential")));
        Assert.DoesNotContain("/run/secrets", ServiceConfig(password).GetProperty("ExecStart").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("qbt-password", ServiceConfig(apiKey).GetProperty("ExecStart").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""qbtUrl = "https://127.0.0.1:8080"; qbtCaFile = "/etc/qbt/ca.pem";""", "qbt-ca", "--qbt-ca-file")]
    [InlineData("""client = "transmission"; transmission.url = "https://tr.lan/transmission/rpc"; transmission.caFile = "/etc/qbt/ca.pem";""", "transmission-ca", "--transmission-ca-file")]
    [InlineData("""client = "deluge"; deluge.passwordFile = "/run/secrets/qbt"; deluge.url = "https://deluge.lan/json"; deluge.caFile = "/etc/qbt/ca.pem";""", "deluge-ca", "--deluge-ca-file")]
    public void Evaluate_CaFile_PassedAsCredentialWithItsFlag(string settings, string id, string flag)
    {
        var result = NixModuleEvaluation.Evaluate($$"""{ enable = true; qbtPasswordFile = "/run/secrets/qbt"; {{settings}} }""");

        Assert.Empty(result.GetProperty("failedAssertions").EnumerateArray());
        Assert.Contains($"{id}:/etc/qbt/ca.pem", SystemdUnitFile.Values(ServiceConfig(result).GetProperty("LoadCredential")));
        Assert.Contains($" \"{flag}\" \"%d/{id}\"", ServiceConfig(result).GetProperty("ExecStart").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Identity_IsDynamicNonRootUser()
    {
        var config = ServiceConfig(NixModuleEvaluation.Evaluate(WithPassword));

        Assert.True(config.GetProperty("DynamicUser").GetBoolean());
        Assert.Equal("proton-port-sync", config.GetProperty("User").GetString());
        Assert.Equal("proton-port-sync", config.GetProperty("Group").GetString());
    }

    [Fact]
    public void Evaluate_Ordering_BoundToWgUnitAndWantsQbittorrent()
    {
        var service = NixModuleEvaluation.Evaluate("""{ enable = true; wgUnit = "wg-quick-proton.service"; }""").GetProperty("service");

        Assert.Equal(["wg-quick-proton.service"], SystemdUnitFile.Values(service.GetProperty("bindsTo")));
        Assert.Contains("wg-quick-proton.service", SystemdUnitFile.Values(service.GetProperty("after")));
        Assert.Contains("qbittorrent.service", SystemdUnitFile.Values(service.GetProperty("after")));
        Assert.Contains("qbittorrent.service", SystemdUnitFile.Values(service.GetProperty("wants")));
    }

    [Fact]
    public void Evaluate_ClientNone_PortFileOnlyNoClientUnitNoCredential()
    {
        var result = NixModuleEvaluation.Evaluate("""{ enable = true; client = "none"; portFiles = [ "/run/pps/port" ]; reannounce = true; }""");

        var service = result.GetProperty("service");
        var execStart = ServiceConfig(result).GetProperty("ExecStart").GetString()!;
        Assert.Contains(" \"--client\" \"none\" ", execStart, StringComparison.Ordinal);
        Assert.Contains(" \"--port-file\" \"/run/pps/port\"", execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("--qbt-", execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("--reannounce", execStart, StringComparison.Ordinal); // no client to ask
        Assert.Empty(SystemdUnitFile.Values(ServiceConfig(result).GetProperty("LoadCredential")));
        Assert.Equal(["network-online.target"], SystemdUnitFile.Values(service.GetProperty("wants")));
        Assert.DoesNotContain(SystemdUnitFile.Values(service.GetProperty("after")), u => u.Contains("qbittorrent", StringComparison.Ordinal));
        Assert.Empty(result.GetProperty("failedAssertions").EnumerateArray());
    }

    [Fact]
    public void Evaluate_PortFilesInAndOutsideTheRuntimeDirectory_OnlyTheOthersDirectoriesWritable()
    {
        var result = NixModuleEvaluation.Evaluate("""{ enable = true; client = "none"; portFiles = [ "/run/proton-port-sync/port" "/srv/shared/port" ]; }""");

        var config = ServiceConfig(result);
        Assert.Equal("proton-port-sync", config.GetProperty("RuntimeDirectory").GetString());
        Assert.Equal("0755", config.GetProperty("RuntimeDirectoryMode").GetString());
        Assert.Equal(["-/srv/shared"], SystemdUnitFile.Values(config.GetProperty("ReadWritePaths")));
        Assert.Equal("0077", config.GetProperty("UMask").GetString());
    }

    [Theory]
    [InlineData("""client = "transmission"; reannounce = true;""")]
    [InlineData("""client = "deluge"; deluge.passwordFile = "/run/secrets/de"; reannounce = true;""")]
    [InlineData("""qbtPasswordFile = "/a"; qbtReannounce = true;""")] // the original module's option name
    public void Evaluate_Reannounce_PassedForEveryClient(string settings)
    {
        var result = NixModuleEvaluation.Evaluate($"{{ enable = true; {settings} }}");

        Assert.Contains(" \"--reannounce\" ", ServiceConfig(result).GetProperty("ExecStart").GetString()!, StringComparison.Ordinal);
        Assert.Empty(result.GetProperty("failedAssertions").EnumerateArray());
    }

    [Fact]
    public void Evaluate_Environment_KeepsRssFlatUnderScraping()
    {
        var service = NixModuleEvaluation.Evaluate("""{ enable = true; }""").GetProperty("service");

        Assert.Equal("80000", service.GetProperty("environment").GetProperty("DOTNET_GCgen0size").GetString());
    }

    [Fact]
    public void Evaluate_RecoverySystemd_PolkitRuleNamesWgUnit()
    {
        var polkit = NixModuleEvaluation.Evaluate("""{ enable = true; wgUnit = "wg-quick-proton.service"; }""").GetProperty("polkit");

        Assert.True(polkit.GetProperty("enable").GetBoolean());
        var rule = polkit.GetProperty("extraConfig").GetString()!;
        Assert.Contains("var protonPortSyncUnit = \"wg-quick-proton.service\";", rule, StringComparison.Ordinal);
        Assert.DoesNotContain("wireguard-wg0.service", rule, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(DeployPaths.PolkitRule).Replace("\"wireguard-wg0.service\"", "\"wg-quick-proton.service\"", StringComparison.Ordinal), rule);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("command\"; recoveryCommand = \"true")]
    public void Evaluate_RecoveryNotSystemd_AddsNoPolkitRule(string recovery)
    {
        var result = NixModuleEvaluation.Evaluate($$"""{ enable = true; recovery = "{{recovery}}"; }""");

        Assert.Equal(JsonValueKind.Null, result.GetProperty("polkit").ValueKind);
    }

    [Fact]
    public void Evaluate_MetricsWithOpenFirewall_OpensOnlyMetricsPort()
    {
        var open = NixModuleEvaluation.Evaluate("""{ enable = true; metrics = { enable = true; port = 9999; openFirewall = true; }; }""");
        var closed = NixModuleEvaluation.Evaluate("""{ enable = true; metrics.enable = true; }""");

        Assert.Equal([9999], open.GetProperty("firewallPorts").EnumerateArray().Select(p => p.GetInt32()));
        Assert.Empty(closed.GetProperty("firewallPorts").EnumerateArray());
        Assert.Contains(" \"--metrics-addr\" \"127.0.0.1:9834\" ", ServiceConfig(closed).GetProperty("ExecStart").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""qbtPasswordFile = "/a"; qbtApiKeyFile = "/b";""", "not both")]
    [InlineData("""qbtPasswordFile = "/a"; recovery = "command";""", "needs recoveryCommand")]
    [InlineData("""qbtPasswordFile = "/a"; renewInterval = 60;""", "must be shorter than lifetime")]
    [InlineData("""client = "qbittorrent";""", "needs qbtPasswordFile")]
    [InlineData("""client = "transmission"; transmission.user = "me";""", "transmission.passwordFile is needed")]
    [InlineData("""qbtPasswordFile = "/a"; networkNamespaceUnit = "wg.service";""", "needs networkNamespace")]
    [InlineData("""client = "deluge";""", "needs deluge.passwordFile")]
    [InlineData("""client = "none";""", "keeps nothing in sync: set portFiles or onChangeCommands")]
    [InlineData("""qbtPasswordFile = "/a"; qbtCaFile = "/ca.pem";""", "URL 'http://127.0.0.1:8080' is not https://")]
    public void Evaluate_InvalidCombination_FailsAssertion(string settings, string expectedMessage)
    {
        var result = NixModuleEvaluation.Evaluate($"{{ enable = true; {settings} }}");

        var message = Assert.Single(result.GetProperty("failedAssertions").EnumerateArray()).GetString();
        Assert.Contains(expectedMessage, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transmission", """transmission = { user = "me"; passwordFile = "/run/secrets/tr"; };""", " \"--client\" \"transmission\" \"--transmission-url\" \"http://127.0.0.1:9091/transmission/rpc\" \"--transmission-user\" \"me\" ", "\"--transmission-password-file\" \"%d/transmission-password\"", "transmission-password:/run/secrets/tr", "transmission.service")]
    [InlineData("deluge", """deluge.passwordFile = "/run/secrets/de";""", " \"--client\" \"deluge\" \"--deluge-url\" \"http://127.0.0.1:8112/json\" ", "\"--deluge-password-file\" \"%d/deluge-password\"", "deluge-password:/run/secrets/de", "deluged.service")]
    public void Evaluate_OtherClients_PassTheirFlagsAndOnlyTheirCredential(string client, string settings, string flags, string secretFlag, string credential, string unit)
    {
        var result = NixModuleEvaluation.Evaluate($$"""{ enable = true; client = "{{client}}"; qbtPasswordFile = "/run/secrets/qbt"; {{settings}} }""");

        var service = ServiceConfig(result);
        var execStart = service.GetProperty("ExecStart").GetString()!;
        Assert.Contains(flags, execStart, StringComparison.Ordinal);
        Assert.Contains(secretFlag, execStart, StringComparison.Ordinal);
        Assert.DoesNotContain("--qbt-", execStart, StringComparison.Ordinal);
        Assert.Equal([credential], SystemdUnitFile.Values(service.GetProperty("LoadCredential")));
        Assert.Contains(unit, result.ToString(), StringComparison.Ordinal);
        Assert.Empty(result.GetProperty("failedAssertions").EnumerateArray());
    }

    [Theory]
    [InlineData("""recovery = "reboot";""")]
    [InlineData("metrics.port = 70000;")]
    [InlineData("renewInterval = 0;")]
    [InlineData("noSuchOption = 1;")]
    public void Evaluate_BadOptionValue_IsRejected(string settings)
    {
        var r = NixModuleEvaluation.Run($"{{ enable = true; {settings} }}");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("services.proton-port-sync", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Disabled_DefinesNothing()
    {
        var result = NixModuleEvaluation.Evaluate("{ }");

        Assert.Equal(JsonValueKind.Null, result.GetProperty("service").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("polkit").ValueKind);
    }

    [Fact]
    public void Evaluate_Hardening_MatchesShippedUnit()
    {
        var module = ServiceConfig(NixModuleEvaluation.Evaluate(WithPassword)).EnumerateObject()
            .Where(p => p.Name is not ("ExecStart" or "LoadCredential"))
            .ToDictionary(p => p.Name, p => SystemdUnitFile.Values(p.Value), StringComparer.Ordinal);
        var shipped = SystemdUnitFile.Parse(File.ReadAllText(DeployPaths.ShippedUnit))["Service"]
            .Where(p => p.Key is not ("ExecStart" or "LoadCredential" or "Environment"))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), module.Keys.Order(StringComparer.Ordinal));
        // A list may be one line or several (systemd accumulates them): compare the words.
        static string Words(IEnumerable<string> values) => string.Join(' ', values.SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        foreach (var (key, values) in shipped)
        {
            Assert.True(Words(values) == Words(module[key]), $"{key}: unit has [{Words(values)}], module has [{Words(module[key])}]");
        }
    }

    [Fact]
    public void GeneratedUnit_SystemdAnalyzeSecurity_ExposureAtMost2()
    {
        var service = NixModuleEvaluation.Evaluate("""{ enable = true; qbtPasswordFile = "/run/secrets/qbt"; metrics.enable = true; }""").GetProperty("service");
        var dir = Directory.CreateTempSubdirectory("pps-deploy-");
        try
        {
            var unit = Path.Combine(dir.FullName, "proton-port-sync.service");
            File.WriteAllText(unit, SystemdUnitFile.Render(service));

            var exposure = SystemdUnitFile.SecurityExposure(unit);

            Assert.InRange(exposure, 0.0, 2.0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
