using ProtonPortSync.IntegrationTests.Deploy;

namespace ProtonPortSync.IntegrationTests.Systemd;

public sealed class UserManagerUnitTests
{
    private static string Transformed(string file) => UserManagerUnit.Transform(
        File.ReadAllText(DeployPaths.InRepository("deploy", "systemd", file)), "/opt/pps", "/tmp/secret");

    private static IEnumerable<string> Keys(string unit) => unit.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && l[0] is not '#' and not '[' && l.Contains('=', StringComparison.Ordinal))
        .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]);

    [Theory]
    [InlineData("proton-port-sync.service")]
    [InlineData("proton-port-sync@.service")]
    public void Transform_ShippedUnit_RemovesOnlyTheDirectivesAUserManagerCannotApply(string file)
    {
        var shipped = File.ReadAllText(DeployPaths.InRepository("deploy", "systemd", file));
        var transformed = Transformed(file);

        var removed = Keys(shipped).Except(Keys(transformed)).ToHashSet();
        Assert.Subset(UserManagerUnit.Removed.ToHashSet(), removed);
        Assert.Contains("DynamicUser", removed);
        Assert.Contains("SystemCallFilter", removed);
        foreach (var kept in new[] { "Type", "NotifyAccess", "WatchdogSec", "Restart", "BindsTo", "After", "StateDirectory", "WantedBy", "LoadCredential", "ExecStart" })
        {
            Assert.Contains(kept, Keys(transformed));
        }

        Assert.Equal(Keys(shipped).Count(k => !UserManagerUnit.Removed.Contains(k)), Keys(transformed).Count());
    }

    [Fact]
    public void Transform_ExecStartAndCredential_RewritesOnlyTheBinaryPathAndTheSecretSource()
    {
        var transformed = Transformed("proton-port-sync@.service");

        Assert.Contains("ExecStart=/opt/pps run --qbt-password-file %d/qbt-password --wg-unit wg-quick@%i.service", transformed, StringComparison.Ordinal);
        Assert.Contains("LoadCredential=qbt-password:/tmp/secret", transformed, StringComparison.Ordinal);
        Assert.DoesNotContain(UserManagerUnit.ShippedBinary, transformed.Split('\n').Where(l => !l.StartsWith('#')), StringComparer.Ordinal);
    }
}
