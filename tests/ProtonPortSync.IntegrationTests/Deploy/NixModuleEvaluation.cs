using System.Text.Json;
using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>
/// Evaluates nix/module.nix with the stub lib (Deploy/nix/eval-module.nix) for one set of option values.
/// Always with --store dummy://: without it nix-instantiate creates /nix.
/// </summary>
internal static class NixModuleEvaluation
{
    public static readonly string[] NixBaseArgs = ["--store", "dummy://", "--option", "substituters", ""];

    public static ShellResult Run(string settings) =>
        Shell.Run("nix-instantiate", [
            .. NixBaseArgs, "--eval", "--strict", "--json",
            Path.Combine(DeployPaths.NixHarnessDirectory, "eval-module.nix"),
            "--arg", "settings", settings,
        ]);

    /// <summary>The evaluation result; fails the test when the evaluation itself fails.</summary>
    public static JsonElement Evaluate(string settings)
    {
        var r = Run(settings);
        Assert.True(r.ExitCode == 0, $"evaluation of {settings} failed: {r.StdErr}");
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.Clone();
    }
}
