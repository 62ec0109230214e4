using ProtonPortSync.IntegrationTests.Infrastructure;

namespace ProtonPortSync.IntegrationTests.Deploy;

/// <summary>
/// global.json must accept every .NET 10 SDK from 10.0.100: distribution feeds and nixpkgs
/// (<c>dotnetCorePackages.sdk_10_0</c>) ship the 1xx feature band. The check runs the real muxer against a private
/// dotnet root whose only SDK is named 10.0.105 (the installed SDK, linked under that version), so it is the
/// host's own resolution of the repository's global.json that is tested, with a pinned rule as the control.
/// </summary>
public sealed class GlobalJsonTests : IDisposable
{
    private const int SdkNotFound = 155;
    private readonly string _root = Directory.CreateTempSubdirectory("pps-sdk-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resolve_RepositoryGlobalJsonWithOnlyA1xxSdk_Accepted()
    {
        var (dotnet, project) = FakeRootWithSdk("10.0.105");
        File.Copy(DeployPaths.InRepository("global.json"), Path.Combine(project, "global.json"));

        var r = Shell.Run(dotnet, ["--version"], TimeSpan.FromSeconds(60), workingDirectory: project);

        Assert.True(r.ExitCode == 0, $"global.json refuses a 10.0.1xx SDK (exit {r.ExitCode}):\n{r.StdOut}{r.StdErr}");
    }

    [Fact]
    public void Resolve_PinnedToA4xxFeatureBand_RefusesThe1xxSdk()
    {
        // The control: the rig can fail, and fails the way users saw ("A compatible .NET SDK was not found").
        var (dotnet, project) = FakeRootWithSdk("10.0.105");
        File.WriteAllText(Path.Combine(project, "global.json"), """{"sdk":{"version":"10.0.401","rollForward":"latestFeature"}}""");

        var r = Shell.Run(dotnet, ["--version"], TimeSpan.FromSeconds(60), workingDirectory: project);

        Assert.Equal(SdkNotFound, r.ExitCode);
        Assert.Contains("10.0.105", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    private (string Dotnet, string Project) FakeRootWithSdk(string version)
    {
        var real = RealDotnetRoot();
        var fake = Directory.CreateDirectory(Path.Combine(_root, "dotnet")).FullName;

        // The muxer finds hostfxr and the SDKs next to its own (real) path, so it is copied (mode included), not linked.
        File.Copy(Path.Combine(real, "dotnet"), Path.Combine(fake, "dotnet"));
        Directory.CreateSymbolicLink(Path.Combine(fake, "host"), Path.Combine(real, "host"));
        Directory.CreateSymbolicLink(Path.Combine(fake, "shared"), Path.Combine(real, "shared"));
        Directory.CreateDirectory(Path.Combine(fake, "sdk"));
        var installed = Directory.GetDirectories(Path.Combine(real, "sdk")).First(d => Path.GetFileName(d).StartsWith("10.0.", StringComparison.Ordinal));
        Directory.CreateSymbolicLink(Path.Combine(fake, "sdk", version), installed);
        var project = Directory.CreateDirectory(Path.Combine(_root, "project")).FullName;
        return (Path.Combine(fake, "dotnet"), project);
    }

    private static string RealDotnetRoot()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(d => Path.Combine(d, "dotnet"))
            .First(File.Exists);
        var target = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        return Path.GetDirectoryName(target)!;
    }
}
