using Microsoft.Extensions.Logging;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.Tests.TorrentClients.QBittorrent;

public sealed class QBittorrentClientBackoffTests
{
    [Theory]
    [InlineData(QBittorrentFakeVersion.V4)]
    [InlineData(QBittorrentFakeVersion.V5_2)]
    public async Task GetListenPortAsync_BadPasswordCalledRepeatedly_LogsInOnlyOnceAndNeverGetsBanned(QBittorrentFakeVersion version)
    {
        using var bed = new QBittorrentTestBed(version);
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "hunter2-wrong\n");
        var client = bed.Client();

        var first = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));
        for (var i = 0; i < 10; i++)
        {
            bed.Time.Advance(TimeSpan.FromMinutes(1));
            var again = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.SetListenPortAsync(50000, CancellationToken.None));
            Assert.Equal(first.RetryNotBefore, again.RetryNotBefore);
        }

        Assert.Equal(1, bed.Fake.LoginAttempts);
        Assert.Equal(bed.Time.GetUtcNow() - TimeSpan.FromMinutes(10) + LoginGate.FirstRefusalBackoff, first.RetryNotBefore);
        var error = Assert.Single(bed.Logger.Entries, e => e.EventId == 2102);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.DoesNotContain("hunter2", bed.Logger.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetListenPortAsync_BackoffElapsed_TriesOnceMoreThenDoublesTheBackoff()
    {
        using var bed = new QBittorrentTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong");
        var client = bed.Client();
        await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        bed.Time.Advance(LoginGate.FirstRefusalBackoff);
        var second = await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.Equal(bed.Time.GetUtcNow() + (2 * LoginGate.FirstRefusalBackoff), second.RetryNotBefore);
    }

    [Fact]
    public async Task GetListenPortAsync_PasswordFileFixedDuringBackoff_LogsInAtOnce()
    {
        using var bed = new QBittorrentTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong");
        var client = bed.Client();
        await QBittorrentTestBed.FailsWith(TorrentClientFailure.BadCredentials, () => client.GetListenPortAsync(CancellationToken.None));

        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password + "\n");

        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
        Assert.Equal(2, bed.Fake.LoginAttempts);
        Assert.Equal(1, bed.Logger.Count(2104));
    }

    [Fact]
    public async Task GetListenPortAsync_LoginAnswers403_ThrowsBannedAndWaitsOutTheBanEvenIfTheFileChanges()
    {
        using var bed = new QBittorrentTestBed();
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, "wrong");
        // Someone else burnt the 5 attempts: the fake now bans this address.
        for (var i = 0; i < QBittorrentFake.MaxFailedLogins; i++)
        {
            await bed.Client().GetListenPortAsync(CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password);
        var client = bed.Client();
        var attemptsBefore = bed.Fake.LoginAttempts;

        var banned = await QBittorrentTestBed.FailsWith(TorrentClientFailure.Banned, () => client.GetListenPortAsync(CancellationToken.None));
        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password + " ");
        bed.Time.Advance(TimeSpan.FromMinutes(59));
        await QBittorrentTestBed.FailsWith(TorrentClientFailure.BackingOff, () => client.GetListenPortAsync(CancellationToken.None));

        Assert.Equal(bed.Time.GetUtcNow() + TimeSpan.FromMinutes(1), banned.RetryNotBefore);
        Assert.Equal(attemptsBefore + 1, bed.Fake.LoginAttempts);
        Assert.Contains("banned", banned.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, Assert.Single(bed.Logger.Entries, e => e.EventId == 2103).Level);

        QBittorrentTestBed.WriteSecret(bed.PasswordFile, bed.Fake.Password);
        bed.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(6881, await client.GetListenPortAsync(CancellationToken.None));
    }

    [Fact]
    public void LoginGate_ManyRefusals_BackoffCappedAtMaximum()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var gate = new LoginGate(time);

        DateTimeOffset last = default;
        for (var i = 0; i < 20; i++)
        {
            last = gate.RecordRefused("fp");
        }

        Assert.Equal(time.GetUtcNow() + LoginGate.MaxRefusalBackoff, last);
        Assert.Equal(LoginGateDecision.Blocked, gate.Check("fp"));
        Assert.Equal(LoginGateDecision.AllowedSecretChanged, gate.Check("other"));
        gate.RecordSuccess();
        Assert.Equal(LoginGateDecision.Allowed, gate.Check("fp"));
        Assert.Equal(time.GetUtcNow() + LoginGate.FirstRefusalBackoff, gate.RecordRefused("fp"));
    }
}
