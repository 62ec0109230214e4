namespace ProtonPortSync.IntegrationTests.Systemd;

/// <summary>The real-systemd tests run one at a time: each starts a whole service manager on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealSystemdGroup
{
    public const string Name = "real systemd";
}
