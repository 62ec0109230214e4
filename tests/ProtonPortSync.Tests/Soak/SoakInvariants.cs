namespace ProtonPortSync.Tests.Soak;

internal static class SoakInvariants
{
    /// <summary>The window over which the gateway request rate is measured.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    /// <summary>The backoff the scripted client hands out after a refused password (the adapters' gate uses longer).</summary>
    public static readonly TimeSpan RefusalBackoff = TimeSpan.FromMinutes(5);
}
