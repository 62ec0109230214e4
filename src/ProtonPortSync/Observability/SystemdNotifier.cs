using System.Collections;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProtonPortSync.Observability;

/// <summary>
/// sd_notify(3) by hand: one AF_UNIX datagram per call to <c>$NOTIFY_SOCKET</c> (a path, or an abstract name
/// written with a leading <c>@</c>). Hand-written because Microsoft.Extensions.Hosting.Systemd sends nothing unless
/// its parent process is named systemd, and never sends WATCHDOG=1. Without NOTIFY_SOCKET every call is a no-op;
/// a failed send is logged at Debug and never thrown.
/// </summary>
internal sealed partial class SystemdNotifier : IDisposable
{
    internal const string NotifySocketVariable = "NOTIFY_SOCKET";
    internal const string WatchdogUsecVariable = "WATCHDOG_USEC";
    internal const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly ILogger _logger;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Lock _lock = new();
    private Socket? _socket;
    private bool _disposed;

    public SystemdNotifier(IReadOnlyDictionary<string, string> environment, ILogger? logger = null, int? processId = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _logger = logger ?? NullLogger.Instance;
        if (environment.TryGetValue(NotifySocketVariable, out var socketName) && socketName.Length > 1
            && (socketName[0] is '/' or '@'))
        {
            SocketName = socketName;

            // An abstract socket's name starts with a NUL byte; systemd writes it as '@' (sd_notify(3)).
            _endPoint = new UnixDomainSocketEndPoint(socketName[0] == '@' ? "\0" + socketName[1..] : socketName);
            WatchdogInterval = ReadWatchdogInterval(environment, processId ?? Environment.ProcessId);
        }
    }

    /// <summary>The NOTIFY_SOCKET value, or null when the daemon does not run under a notify-aware manager.</summary>
    public string? SocketName { get; }

    public bool IsEnabled => _endPoint is not null;

    /// <summary>How often to send WATCHDOG=1: half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; null when off or meant for another PID.</summary>
    public TimeSpan? WatchdogInterval { get; }

    public static SystemdNotifier FromEnvironment(ILogger? logger = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                values[key] = value;
            }
        }

        return new SystemdNotifier(values, logger);
    }

    /// <summary>READY=1 with a STATUS= line: start-up finished (Type=notify units wait for it).</summary>
    public bool Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    public bool Status(string status) => Send($"STATUS={OneLine(status)}");

    public bool Stopping() => Send("STOPPING=1");

    public bool Watchdog() => Send("WATCHDOG=1");

    /// <summary>EXTEND_TIMEOUT_USEC=: asks for more time in start-up or shut-down, counted from now.</summary>
    public bool ExtendTimeout(TimeSpan extension)
    {
        var microseconds = Math.Max(0L, extension.Ticks / TimeSpan.TicksPerMicrosecond);
        return Send(string.Create(CultureInfo.InvariantCulture, $"EXTEND_TIMEOUT_USEC={microseconds}"));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _socket?.Dispose();
            _socket = null;
        }
    }

    private static TimeSpan? ReadWatchdogInterval(IReadOnlyDictionary<string, string> environment, int processId)
    {
        if (!environment.TryGetValue(WatchdogUsecVariable, out var usecText)
            || !ulong.TryParse(usecText, NumberStyles.None, CultureInfo.InvariantCulture, out var usec)
            || usec == 0 || usec > long.MaxValue / TimeSpan.TicksPerMicrosecond)
        {
            return null;
        }

        if (environment.TryGetValue(WatchdogPidVariable, out var pidText)
            && (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        return TimeSpan.FromTicks((long)usec * TimeSpan.TicksPerMicrosecond / 2);
    }

    /// <summary>A newline would start a new assignment in the datagram, so a status is kept to one line.</summary>
    private static string OneLine(string status) => (status ?? string.Empty).ReplaceLineEndings(" ");

    private bool Send(string state)
    {
        if (_endPoint is null)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(state);
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(payload, SocketFlags.None, _endPoint);
                return true;
            }
            catch (SocketException ex)
            {
                LogSendFailed(_logger, SocketName!, ex.SocketErrorCode, ex.Message);
                return false;
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "sd_notify to {Socket} failed ({Error}): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string socket, SocketError error, string reason);
}
