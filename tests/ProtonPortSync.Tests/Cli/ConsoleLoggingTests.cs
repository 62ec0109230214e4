using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Cli;

namespace ProtonPortSync.Tests.Cli;

/// <summary>
/// The log lines, byte for byte as Microsoft.Extensions.Logging.Console's systemd and single-line simple formatters
/// wrote them (journald, the integration tests and operators' greps read them): one line per event, event id in brackets.
/// </summary>
public sealed class ConsoleLoggingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 34, 56, 789, TimeSpan.Zero);
    private readonly StringWriter _stderr = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _stderr.Dispose();

    private ILogger Logger(LogLevel minimum, string? journalStream)
        => ConsoleLogging.Create(minimum, name => name == "JOURNAL_STREAM" ? journalStream : null, _stderr, _time).CreateLogger<CommandHandlers>();

    [Fact]
    public void Log_UnderJournald_PriorityPrefixCategoryAndEventId()
    {
        var logger = Logger(LogLevel.Information, "8:1234");

        logger.Log(LogLevel.Warning, new EventId(2017, "Refused"), "qBittorrent refused the port", null, (s, _) => s);
        logger.Log(LogLevel.Information, new EventId(1001), "mapped", null, (s, _) => s);

        Assert.Equal("<4>ProtonPortSync.Cli.CommandHandlers[2017] qBittorrent refused the port\n<6>ProtonPortSync.Cli.CommandHandlers[1001] mapped\n", _stderr.ToString());
    }

    [Theory]
    [InlineData(LogLevel.Critical, "<2>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Debug, "<7>")]
    [InlineData(LogLevel.Trace, "<7>")]
    public void Log_UnderJournald_SyslogPriorityPerLevel(LogLevel level, string prefix)
    {
        Logger(LogLevel.Trace, "8:1").Log(level, new EventId(5), "m", null, (s, _) => s);

        Assert.Equal($"{prefix}ProtonPortSync.Cli.CommandHandlers[5] m\n", _stderr.ToString());
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trce")]
    [InlineData(LogLevel.Debug, "dbug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "fail")]
    [InlineData(LogLevel.Critical, "crit")]
    public void Log_OnTerminal_LocalTimeStampShortLevelCategoryAndEventId(LogLevel level, string name)
    {
        Logger(LogLevel.Trace, journalStream: null).Log(level, new EventId(2010), "cap reached", null, (s, _) => s);

        Assert.Equal($"12:34:56.789 {name}: ProtonPortSync.Cli.CommandHandlers[2010] cap reached\n", _stderr.ToString());
    }

    [Fact]
    public void Log_MessageAndExceptionWithLineBreaks_OneLine()
    {
        var logger = Logger(LogLevel.Information, "8:1");

        logger.Log(LogLevel.Error, new EventId(3), "first\nsecond", new InvalidOperationException("bad\nworse"), (s, _) => s);

        Assert.Equal("<3>ProtonPortSync.Cli.CommandHandlers[3] first second System.InvalidOperationException: bad worse\n", _stderr.ToString());
    }

    [Fact]
    public void Log_BelowMinimumOrNone_NothingWritten()
    {
        var logger = Logger(LogLevel.Warning, journalStream: null);

        logger.Log(LogLevel.Information, new EventId(1), "routine", null, (s, _) => s);
        logger.Log(LogLevel.None, new EventId(2), "never", null, (s, _) => s);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.Equal("", _stderr.ToString());
    }

    [Fact]
    public void Log_EmptyMessage_CategoryAndEventIdOnly()
    {
        Logger(LogLevel.Information, "8:1").Log(LogLevel.Warning, new EventId(9), "", null, (s, _) => s);

        Assert.Equal("<4>ProtonPortSync.Cli.CommandHandlers[9]\n", _stderr.ToString());
    }

    [Fact]
    public void Create_InvocationIdWithoutJournalStream_JournaldLines()
    {
        var logger = ConsoleLogging.Create(LogLevel.Information, name => name == "INVOCATION_ID" ? "abc" : null, _stderr, _time).CreateLogger("c");

        logger.Log(LogLevel.Information, new EventId(1), "m", null, (s, _) => s);

        Assert.Equal("<6>c[1] m\n", _stderr.ToString());
    }
}
