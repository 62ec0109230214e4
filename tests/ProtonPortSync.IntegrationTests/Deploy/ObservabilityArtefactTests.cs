using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

public sealed class ObservabilityArtefactTests
{
    [Fact]
    public void AlertRules_PromtoolCheckRules_Succeeds()
    {
        var r = Shell.Run("promtool", ["check", "rules", DeployPaths.AlertRules]);

        Assert.True(r.ExitCode == 0, $"promtool check rules: {r.StdErr}{r.StdOut}");
        Assert.Contains("SUCCESS: 8 rules found", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertRules_PromtoolTestRules_EveryAlertFiresOnItsFailure()
    {
        var r = Shell.Run("promtool", ["test", "rules", DeployPaths.AlertRuleTests]);

        Assert.True(r.ExitCode == 0, $"promtool test rules: {r.StdErr}{r.StdOut}");
    }

    [Fact]
    public void AlertRules_Expressions_UseOnlyKnownMetrics()
    {
        var referenced = KnownMetrics.Referenced(File.ReadAllText(DeployPaths.AlertRules));

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.Contains(name, KnownMetrics.Names));
    }

    [Fact]
    public void Dashboard_Json_ParsesAndUsesOnlyKnownMetrics()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DeployPaths.Dashboard));
        var expressions = Descendants(doc.RootElement)
            .Where(p => p.Name is "expr" or "definition")
            .Select(p => p.Value.GetString()!)
            .ToList();

        var referenced = expressions.SelectMany(KnownMetrics.Referenced).Distinct(StringComparer.Ordinal).ToList();
        Assert.All(referenced, name => Assert.Contains(name, KnownMetrics.Names));
        Assert.Equal(KnownMetrics.Names.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboard_Datasource_IsTemplated()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DeployPaths.Dashboard));
        var root = doc.RootElement;

        var variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        var uids = Descendants(root).Where(p => p.Name == "datasource" && p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => p.Value.GetProperty("uid").GetString())
            .Distinct()
            .ToList();
        Assert.Equal(["${datasource}"], uids);
    }

    private static IEnumerable<JsonProperty> Descendants(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                yield return p;
                foreach (var d in Descendants(p.Value))
                {
                    yield return d;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in element.EnumerateArray().SelectMany(Descendants))
            {
                yield return d;
            }
        }
    }
}
