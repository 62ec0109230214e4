using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

public sealed class NixFileTests
{
    public static TheoryData<string> NixFiles() => new(NixFilePaths());

    private static IEnumerable<string> NixFilePaths()
    {
        var root = DeployPaths.RepositoryRoot;
        return new[] { "flake.nix" }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "nix"), "*.nix").Select(f => Path.GetRelativePath(root, f)))
            .Concat(Directory.EnumerateFiles(DeployPaths.NixHarnessDirectory, "*.nix").Select(f => Path.GetRelativePath(root, f)))
            .Order(StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NixFiles))]
    public void Parse_RepositoryNixFile_Succeeds(string relativePath)
    {
        var r = Shell.Run("nix-instantiate", [.. NixModuleEvaluation.NixBaseArgs, "--parse", DeployPaths.InRepository(relativePath)]);

        Assert.True(r.ExitCode == 0, $"{relativePath} does not parse: {r.StdErr}");
    }

    [Fact]
    public void NixFiles_Listed_IncludeFlakeModuleAndPackage()
    {
        var files = NixFilePaths().ToList();

        Assert.Contains("flake.nix", files);
        Assert.Contains(Path.Combine("nix", "module.nix"), files);
        Assert.Contains(Path.Combine("nix", "package.nix"), files);
    }

    [Fact]
    public void DepsJson_ComparedWithRestore_IsUpToDate()
    {
        var r = Shell.Run(DeployPaths.InRepository("scripts", "update-nix-deps.sh"), ["--check"], TimeSpan.FromSeconds(180));

        Assert.True(r.ExitCode == 0, $"nix/deps.json is stale; run scripts/update-nix-deps.sh:\n{r.StdOut}{r.StdErr}");
        Assert.Contains("up to date", r.StdOut, StringComparison.Ordinal);
    }
}
