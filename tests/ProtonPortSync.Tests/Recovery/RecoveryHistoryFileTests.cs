using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Recovery;

public sealed class RecoveryHistoryFileTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-history-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private RecoveryHistoryFile History() => new(_directory, NullLogger.Instance);

    [Fact]
    public void Load_MissingFile_IsEmpty() => Assert.Empty(History().Load(Now, Hour));

    [Fact]
    public void Load_EmptyFile_IsEmpty()
    {
        File.WriteAllText(Path.Combine(_directory, RecoveryHistoryFile.FileName), string.Empty);
        Assert.Empty(History().Load(Now, Hour));
    }

    [Fact]
    public void SaveThenLoad_RecentTimes_SurviveANewInstance()
    {
        History().Save([Now.AddMinutes(-30), Now.AddMinutes(-1)]);

        Assert.Equal([Now.AddMinutes(-30), Now.AddMinutes(-1)], History().Load(Now, Hour).ToArray());
        Assert.False(File.Exists(Path.Combine(_directory, RecoveryHistoryFile.FileName + ".tmp")));
    }

    [Fact]
    public void Load_TimesOlderThanTheWindow_AreDropped()
    {
        History().Save([Now.AddMinutes(-61), Now.AddMinutes(-59)]);
        Assert.Equal([Now.AddMinutes(-59)], History().Load(Now, Hour).ToArray());
    }

    [Fact]
    public void Load_CorruptLines_AreSkippedAndTheRestKept()
    {
        File.WriteAllText(Path.Combine(_directory, RecoveryHistoryFile.FileName), "garbage\n\0\0\n" + Now.AddMinutes(-5).ToString("O") + "\n");
        Assert.Equal([Now.AddMinutes(-5)], History().Load(Now, Hour).ToArray());
    }

    [Fact]
    public void Load_TimeInTheFuture_CountsAsNow()
    {
        History().Save([Now.AddMinutes(10)]);
        Assert.Equal([Now], History().Load(Now, Hour).ToArray());
    }

    [Fact]
    public void Save_DirectoryMissing_DoesNotThrowAndLoadStaysEmpty()
    {
        var history = new RecoveryHistoryFile(Path.Combine(_directory, "absent"), NullLogger.Instance);
        history.Save([Now]);
        Assert.Empty(history.Load(Now, Hour));
    }
}
