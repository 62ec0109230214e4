using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.IntegrationTests.Recovery;

/// <summary>The deadline in real time: a command that outlives it is killed with all its children.</summary>
public sealed class CommandRecoveryActionTimeoutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-recovery-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RecoverAsync_SleepPastTimeout_ThrowsAndKillsTheWholeTree()
    {
        var pidFile = Path.Combine(_directory, "child.pid");
        var action = new CommandRecoveryAction(
            $"sleep 30 & echo $! > '{pidFile}'; echo waiting >&2; wait",
            TimeSpan.FromMilliseconds(200),
            NullLogger.Instance);

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains("did not finish within 0.2 s and was killed with its process group", ex.Message, StringComparison.Ordinal);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await PollAsync(() => !IsAlive(grandchild));
    }

    [Fact]
    public async Task RecoverAsync_BackgroundChildLeftBehind_ReturnsAtOnceAndTheChildIsKilled()
    {
        var pidFile = Path.Combine(_directory, "background.pid");
        var action = new CommandRecoveryAction($"sleep 200 & echo $! > '{pidFile}'; exit 0", TimeSpan.FromSeconds(30), NullLogger.Instance);

        var watch = Stopwatch.StartNew();
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"waited {watch.Elapsed} for the pipes of a background child");
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await PollAsync(() => !IsAlive(child));
    }

    [Fact]
    public async Task RecoverAsync_CallerCancels_ThrowsOperationCanceledAndKills()
    {
        var pidFile = Path.Combine(_directory, "self.pid");
        var action = new CommandRecoveryAction($"echo $$ > '{pidFile}'; exec sleep 30", TimeSpan.FromSeconds(30), NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => action.RecoverAsync(RecoveryContext.None, cts.Token));

        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await PollAsync(() => !IsAlive(pid));
    }

    // A zombie has no cmdline; either way the process is no longer running.
    private static bool IsAlive(int pid)
        => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;

    private static async Task PollAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the process was still alive after 2.5 s");
    }
}
