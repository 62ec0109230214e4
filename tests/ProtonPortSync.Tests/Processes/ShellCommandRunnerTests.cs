using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Processes;

namespace ProtonPortSync.Tests.Processes;

/// <summary>
/// The runner on a real /bin/sh. Timeouts run on a FakeTimeProvider advanced by the test once the command has
/// said it started (an event), so nothing here waits for a timer; only the death of a killed process is polled
/// (bounded), since the kernel gives no event for it.
/// </summary>
public sealed class ShellCommandRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> DaemonEnvironment = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C.UTF-8",
        ["CREDENTIALS_DIRECTORY"] = "/run/credentials/proton-port-sync.service",
        ["QBT_PASSWORD_FILE"] = "/run/credentials/x/qbt-password",
        ["NOTIFY_SOCKET"] = "/run/systemd/notify",
        ["HOME"] = "/root",
    };

    private readonly LineWaitingLogger _logger = new();
    private readonly FakeTimeProvider _time = new();

    private ShellCommandRunner Runner() => new(_time, name => DaemonEnvironment.GetValueOrDefault(name), _logger);

    [Fact]
    public async Task RunAsync_ExitZero_Succeeded()
    {
        var result = await Runner().RunAsync(new ShellCommand("true", Generous), "hook", CancellationToken.None);

        Assert.Equal(ShellCommandOutcome.Succeeded, result.Outcome);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ExitThreeAfterStderr_FailedWithCodeAndTail()
    {
        var result = await Runner().RunAsync(new ShellCommand("echo 'nft: table not found' >&2; exit 3", Generous), "hook", CancellationToken.None);

        Assert.Equal(ShellCommandOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("nft: table not found", result.OutputTail, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ArgumentsAndVariables_ArePositionalAndInEnvironment()
    {
        var command = new ShellCommand("echo \"args=$1,$2 port=$FORWARDED_PORT\"", Generous)
        {
            Arguments = ["40100", "a b; rm -rf /"],
            Variables = new Dictionary<string, string> { ["FORWARDED_PORT"] = "40100" },
        };

        var result = await Runner().RunAsync(command, "hook", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Contains("hook: args=40100,a b; rm -rf / port=40100", _logger.Messages);
    }

    [Fact]
    public async Task RunAsync_DaemonEnvironment_OnlyAllowlistedVariablesReachTheCommand()
    {
        var result = await Runner().RunAsync(new ShellCommand("env | sort", Generous), "hook", CancellationToken.None);

        Assert.True(result.Succeeded);
        var names = _logger.Messages.Select(m => m["hook: ".Length..].Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("PATH", names);
        Assert.Contains("LANG", names);
        Assert.DoesNotContain("CREDENTIALS_DIRECTORY", names);
        Assert.DoesNotContain("QBT_PASSWORD_FILE", names);
        Assert.DoesNotContain("NOTIFY_SOCKET", names);
        Assert.DoesNotContain("HOME", names);
    }

    [Fact]
    public async Task RunAsync_NoPathInDaemonEnvironment_GetsADefaultPath()
    {
        var runner = new ShellCommandRunner(_time, _ => null, _logger);

        var result = await runner.RunAsync(new ShellCommand("echo \"path=$PATH\"", Generous), "hook", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Contains($"hook: path={ShellCommandRunner.DefaultPath}", _logger.Messages);
    }

    [Fact]
    public async Task RunAsync_Hangs_TimesOutAndKillsTheWholeGroup()
    {
        var runner = Runner();
        Assert.True(runner.OwnProcessGroup, "setsid(1) from util-linux must be on this machine");
        var run = runner.RunAsync(new ShellCommand("sleep 300 & echo \"child=$!\"; wait", TimeSpan.FromSeconds(30)), "hook", CancellationToken.None);
        var child = ChildPid(await _logger.WaitForAsync("child="));

        _time.Advance(TimeSpan.FromSeconds(30));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ShellCommandOutcome.TimedOut, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.True(await IsGoneAsync(child), $"background child {child} survived the timeout");
    }

    [Fact]
    public async Task RunAsync_LeavesBackgroundChild_ReturnsAtExitAndKillsTheChild()
    {
        // The child holds stdout open for 300 s; waiting on the pipes would hang this test.
        var result = await Runner().RunAsync(new ShellCommand("sleep 300 & echo \"child=$!\"; exit 0", Generous), "hook", CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ShellCommandOutcome.Succeeded, result.Outcome);
        var child = ChildPid(await _logger.WaitForAsync("child="));
        Assert.True(await IsGoneAsync(child), $"background child {child} survived its shell");
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsAndKillsTheGroup()
    {
        using var stop = new CancellationTokenSource();
        var run = Runner().RunAsync(new ShellCommand("sleep 300 & echo \"child=$!\"; wait", Generous), "hook", stop.Token);
        var child = ChildPid(await _logger.WaitForAsync("child="));

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await IsGoneAsync(child), $"background child {child} survived the stop");
    }

    [Fact]
    public async Task RunAsync_HostileOutput_LinesCutEscapedAndCounted()
    {
        var command = new ShellCommand("head -c 5000 /dev/zero | tr '\\0' a; echo; printf 'red \\033[31m\\r\\n'; i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); done", Generous);

        var result = await Runner().RunAsync(command, "hook", CancellationToken.None);

        Assert.True(result.Succeeded);
        var lines = _logger.Messages.Where(m => m.StartsWith("hook: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(BoundedLineReader.MaxLines, lines.Count);
        Assert.Equal("hook: " + new string('a', BoundedLineReader.MaxLineLength) + "…", lines[0]);
        Assert.Equal("hook: red \\x1b[31m", lines[1]);
        Assert.DoesNotContain(lines, l => l.Any(char.IsControl));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("echo a\0b")]
    public void Ctor_UnusableCommand_Throws(string command)
    {
        Assert.Throws<ArgumentException>(() => new ShellCommand(command, Generous));
    }

    [Fact]
    public void Ctor_NonPositiveTimeout_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShellCommand("true", TimeSpan.Zero));
    }

    [Fact]
    public void FindSetsid_OnPath_FoundThere()
    {
        Assert.Equal("/usr/bin/setsid", ShellCommandRunner.FindSetsid("/nonexistent:/usr/bin"));
    }

    private static int ChildPid(string message) => int.Parse(message[(message.IndexOf("child=", StringComparison.Ordinal) + 6)..], CultureInfo.InvariantCulture);

    /// <summary>A killed process disappears (or turns zombie, awaiting its reaper) within a bounded wait.</summary>
    private static async Task<bool> IsGoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true;
            }

            try
            {
                var text = await File.ReadAllTextAsync(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
