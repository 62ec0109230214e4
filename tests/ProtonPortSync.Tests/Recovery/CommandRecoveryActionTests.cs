using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Recovery;

/// <summary>Short commands that finish at once; nothing here waits for a timer (timeouts are integration tests).</summary>
public sealed class CommandRecoveryActionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Ctor_EmptyCommand_ThrowsWithAdvice(string command)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CommandRecoveryAction(command, Generous, NullLogger.Instance));
        Assert.Contains("--recovery-command", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CommandWithNul_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CommandRecoveryAction("echo a\0b", Generous, NullLogger.Instance));
        Assert.Contains("NUL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Ctor_NonPositiveTimeout_Throws(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommandRecoveryAction("true", TimeSpan.FromSeconds(seconds), NullLogger.Instance));
    }

    [Fact]
    public void Description_NamesTheCommand()
    {
        var action = new CommandRecoveryAction("/usr/local/bin/reconnect wg0", Generous, NullLogger.Instance);
        Assert.Equal("run /usr/local/bin/reconnect wg0", action.Description);
    }

    [Fact]
    public async Task RecoverAsync_ExitZero_Completes()
    {
        var action = new CommandRecoveryAction("true", Generous, NullLogger.Instance);
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
    }

    [Fact]
    public async Task RecoverAsync_ExitThree_ThrowsWithExitCode()
    {
        var action = new CommandRecoveryAction("exit 3", Generous, NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None));
        Assert.Contains("exited with code 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(none)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverAsync_OutputThenExitOne_MessageCarriesTheLastLines()
    {
        var script = "for i in $(seq 1 15); do echo line$i >&2; done; exit 1";
        var action = new CommandRecoveryAction(script, Generous, NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<RecoveryException>(() => action.RecoverAsync(RecoveryContext.None, CancellationToken.None));
        Assert.Contains("exited with code 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line15", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line1 ", ex.Message + " ", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverAsync_CatReadingStdin_SeesEndOfFileAtOnce()
    {
        // cat would wait forever on an open stdin; it must see EOF and exit 0, and print nothing.
        var action = new CommandRecoveryAction("n=$(cat | wc -c); test \"$n\" -eq 0", Generous, NullLogger.Instance);
        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
    }

    [Fact]
    public async Task RecoverAsync_DaemonEnvironment_OnlyTheAllowlistIsInherited()
    {
        var daemon = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["TZ"] = "UTC",
            ["CREDENTIALS_DIRECTORY"] = "/run/credentials/proton-port-sync.service",
            ["QBT_PASSWORD"] = "hunter2",
            ["NOTIFY_SOCKET"] = "/run/systemd/notify",
        };
        var action = new CommandRecoveryAction(
            "test \"$PATH\" = /usr/bin:/bin && test \"$TZ\" = UTC && test -z \"${CREDENTIALS_DIRECTORY+x}${QBT_PASSWORD+x}${NOTIFY_SOCKET+x}\" || { env >&2; exit 9; }",
            Generous,
            NullLogger.Instance,
            environment: name => daemon.GetValueOrDefault(name));

        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
    }

    [Fact]
    public async Task RecoverAsync_ContextWithPortAndAddress_CommandGetsThePortVariables()
    {
        var action = new CommandRecoveryAction(
            "test \"$FORWARDED_PORT\" = 40010 && test \"$FORWARDED_PUBLIC_ADDRESS\" = 203.0.113.7 && test \"$RECOVERY_CONSECUTIVE_FAILURES\" = 3 || { env >&2; exit 9; }",
            Generous,
            NullLogger.Instance);

        await action.RecoverAsync(new RecoveryContext(40010, System.Net.IPAddress.Parse("203.0.113.7"), 3), CancellationToken.None);
    }

    [Fact]
    public async Task RecoverAsync_NoPortHeld_PortVariablesUnsetFailuresStillGiven()
    {
        var action = new CommandRecoveryAction(
            "test -z \"${FORWARDED_PORT+x}${FORWARDED_PUBLIC_ADDRESS+x}\" && test \"$RECOVERY_CONSECUTIVE_FAILURES\" = 0 || { env >&2; exit 9; }",
            Generous,
            NullLogger.Instance);

        await action.RecoverAsync(RecoveryContext.None, CancellationToken.None);
    }

    [Fact]
    public async Task RecoverAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        var action = new CommandRecoveryAction("true", Generous, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => action.RecoverAsync(RecoveryContext.None, cts.Token));
    }
}
