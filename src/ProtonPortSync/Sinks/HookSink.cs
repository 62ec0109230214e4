namespace ProtonPortSync.Sinks;

/// <summary>An --on-change-command, run through /bin/sh with the port as $1 (the runner is wired in a later step).</summary>
internal static class HookSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
}
