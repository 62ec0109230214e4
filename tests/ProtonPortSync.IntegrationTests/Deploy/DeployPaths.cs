namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>Paths of the deploy artefacts, found from the directory that holds ProtonPortSync.slnx.</summary>
internal static class DeployPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ShippedUnit => InRepository("deploy", "systemd", "proton-port-sync.service");

    public static string PolkitRule => InRepository("deploy", "polkit", "50-proton-port-sync.rules");

    public static string AlertRules => InRepository("deploy", "prometheus", "alerts.yml");

    public static string AlertRuleTests => InRepository("deploy", "prometheus", "alerts.test.yml");

    public static string Dashboard => InRepository("deploy", "grafana", "proton-port-sync.json");

    public static string NixHarnessDirectory => InRepository("tests", "ProtonPortSync.IntegrationTests", "Deploy", "nix");

    public static string PolkitHarness => InRepository("tests", "ProtonPortSync.IntegrationTests", "Deploy", "polkit", "evaluate-rule.js");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProtonPortSync.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ProtonPortSync.slnx above {AppContext.BaseDirectory}: run the tests from the repository");
    }
}
