using System.Text.RegularExpressions;

namespace ProtonPortSync.Tests.Architecture;

/// <summary>
/// The daemon's folders (one namespace each) depend on each other without a cycle, so each can be read, tested and
/// changed from the bottom up: Configuration, Processes and NatPmp at the bottom, Hosting (the composition root) and
/// Cli at the top. Read from the source: a <c>using ProtonPortSync.X;</c> or a name qualified with it is a dependency.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    private static readonly string Source = Path.Combine(FindRepositoryRoot(), "src", "ProtonPortSync");

    [Fact]
    public void Namespaces_DependOnEachOtherWithoutCycle()
    {
        var graph = ReadGraph();

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"namespace cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void Doctor_KnowsNoParticularClient_TheModulesBringTheirChecks()
    {
        var graph = ReadGraph();

        Assert.DoesNotContain("TorrentClients", graph["Doctor"]);
        Assert.DoesNotContain("Hosting", graph["Doctor"]);
        Assert.Contains("Doctor", graph["TorrentClients"]); // the modules supply doctor checks: the edge goes this way
    }

    [Fact]
    public void CompositionRoot_IsUsedOnlyByTheCommandLine()
    {
        var graph = ReadGraph();

        var users = graph.Where(p => p.Value.Contains("Hosting")).Select(p => p.Key);

        Assert.Equal(["Cli"], users);
    }

    [Fact]
    public void FindCycle_TwoNamespacesUsingEachOther_Found()
    {
        var graph = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = [] };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
    }

    /// <summary>Folder → the other folders its files refer to.</summary>
    private static Dictionary<string, HashSet<string>> ReadGraph()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        Assert.True(folders.Count >= 10, $"expected the daemon's folders under {Source}, found {folders.Count}");
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in Reference().Matches(File.ReadAllText(file)))
                {
                    var used = m.Groups[1].Value;
                    if (used != folder && folders.Contains(used))
                    {
                        graph[folder].Add(used);
                    }
                }
            }
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                return [.. path[at..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph[node].Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProtonPortSync.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ProtonPortSync.slnx not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\bProtonPortSync\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex Reference();
}
