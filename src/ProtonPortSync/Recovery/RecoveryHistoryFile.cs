using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Recovery;

/// <summary>
/// The times of recent recoveries, kept in <c>recoveries</c> under the state directory so that the hourly cap holds
/// across the daemon's own restarts: restarting a tunnel unit the daemon is bound to (BindsTo=) restarts the daemon
/// too, and a count kept only in memory would start again from zero each time. One UTC time (ISO 8601) per line,
/// written to a temporary file and renamed over the old one, so a crash never leaves half a file. A missing, empty or
/// unreadable file counts as "no recent recovery"; unreadable lines are skipped.
/// </summary>
internal sealed partial class RecoveryHistoryFile
{
    public const string FileName = "recoveries";

    /// <summary>More lines than any cap allows (the cap is at most 60 an hour); the rest of a huge file is ignored.</summary>
    private const int MaxLines = 256;

    private readonly ILogger _logger;

    public RecoveryHistoryFile(string directory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(logger);
        Path = System.IO.Path.Combine(directory, FileName);
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>The recoveries within <paramref name="window"/> before <paramref name="now"/>; times in the future (clock stepped back) count as now.</summary>
    public ImmutableArray<DateTimeOffset> Load(DateTimeOffset now, TimeSpan window)
    {
        string[] lines;
        try
        {
            lines = File.Exists(Path) ? File.ReadLines(Path).Take(MaxLines).ToArray() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, Path, ex.Message);
            return [];
        }

        var result = ImmutableArray.CreateBuilder<DateTimeOffset>();
        var skipped = 0;
        foreach (var line in lines)
        {
            if (!DateTimeOffset.TryParse(line.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                skipped += line.Trim().Length == 0 ? 0 : 1;
                continue;
            }

            var clamped = at > now ? now : at;
            if (now - clamped < window)
            {
                result.Add(clamped);
            }
        }

        if (skipped > 0)
        {
            LogSkipped(_logger, skipped, Path);
        }

        if (result.Count > 0)
        {
            LogLoaded(_logger, result.Count, Path);
        }

        return result.ToImmutable();
    }

    /// <summary>Replaces the file with these times. A failure is logged, not thrown: the cap then holds in memory only.</summary>
    public void Save(ImmutableArray<DateTimeOffset> recoveries)
    {
        var text = new StringBuilder();
        foreach (var at in recoveries)
        {
            text.Append(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        }

        var temporary = Path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnwritable(_logger, Path, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Could not read the recovery history {Path} ({Error}); counting no recent recovery")]
    private static partial void LogUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Skipped {Count} unreadable line(s) of the recovery history {Path}")]
    private static partial void LogSkipped(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "{Count} recovery(ies) within the last hour, from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Warning, Message = "Could not write the recovery history {Path} ({Error}); the hourly cap holds only until the daemon restarts: check --state-directory")]
    private static partial void LogUnwritable(ILogger logger, string path, string error);
}
