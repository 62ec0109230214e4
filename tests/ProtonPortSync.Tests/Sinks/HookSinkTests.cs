using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Processes;
using ProtonPortSync.Sinks;

namespace ProtonPortSync.Tests.Sinks;

/// <summary>The hook sink on the shared runner and a real /bin/sh (short commands, no timers).</summary>
public sealed class HookSinkTests : IDisposable
{
    private static readonly Dictionary<string, string> DaemonEnvironment = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        ["CREDENTIALS_DIRECTORY"] = "/run/credentials/proton-port-sync.service",
        ["QBT_PASSWORD_FILE"] = "/run/credentials/x/qbt-password",
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("pps-hook-").FullName;
    private readonly ShellCommandRunner _runner = new(TimeProvider.System, n => DaemonEnvironment.GetValueOrDefault(n), NullLogger.Instance);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ApplyAsync_PortChanged_HookSeesPortAsArgumentAndVariablesButNoSecrets()
    {
        var output = Path.Combine(_directory, "env");
        var hook = new HookSink(1, $"{{ echo \"arg=$1\"; env; }} > '{output}'", TimeSpan.FromSeconds(30), _runner);

        await hook.ApplyAsync(new PortUpdate(40100, IPAddress.Parse("203.0.113.7")), 40000, default);

        var lines = await File.ReadAllLinesAsync(output);
        Assert.Contains("arg=40100", lines);
        Assert.Contains("FORWARDED_PORT=40100", lines);
        Assert.Contains("FORWARDED_PUBLIC_ADDRESS=203.0.113.7", lines);
        Assert.Contains("FORWARDED_PREVIOUS_PORT=40000", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("CREDENTIALS_DIRECTORY=", StringComparison.Ordinal) || l.StartsWith("QBT_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_FirstPort_NoPreviousPortNoAddress()
    {
        var output = Path.Combine(_directory, "env");
        var hook = new HookSink(2, $"env > '{output}'", TimeSpan.FromSeconds(30), _runner);

        await hook.ApplyAsync(new PortUpdate(40100, null), null, default);

        var lines = await File.ReadAllLinesAsync(output);
        Assert.DoesNotContain(lines, l => l.StartsWith("FORWARDED_PREVIOUS_PORT=", StringComparison.Ordinal) || l.StartsWith("FORWARDED_PUBLIC_ADDRESS=", StringComparison.Ordinal));
        Assert.Equal("hook:2", hook.Name);
    }

    [Fact]
    public async Task ApplyAsync_ExitsNonZero_SinkExceptionWithCodeAndOutputButNotTheCommand()
    {
        var hook = new HookSink(1, "echo 'nft: no such table' >&2; exit 4 # token=s3cret", TimeSpan.FromSeconds(30), _runner);

        var ex = await Assert.ThrowsAsync<SinkException>(() => hook.ApplyAsync(new PortUpdate(40100, null), null, default));

        Assert.StartsWith("hook:1 exited with code 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nft: no such table", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }
}
