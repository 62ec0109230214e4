using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace ProtonPortSync.Recovery;

/// <summary>
/// Restarts the WireGuard unit with <c>org.freedesktop.systemd1.Manager.RestartUnit(unit, "replace")</c> on the
/// system bus. The connection is opened on first use, kept, and opened again once the bus dropped it (dbus
/// restarted, daemon reloaded). Every connect and call is bounded by <see cref="Timeout"/>.
/// </summary>
internal sealed partial class SystemdUnitRestartAction : IRecoveryAction, IAsyncDisposable
{
    /// <summary>RestartUnit only queues a job and returns its path, so it answers quickly unless polkit or systemd hangs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    internal const string SystemdBusName = "org.freedesktop.systemd1";
    internal const string ManagerPath = "/org/freedesktop/systemd1";
    internal const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    internal const string RestartUnitMethod = "RestartUnit";
    internal const string ReplaceMode = "replace";

    private readonly string _unitName;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string? _explicitBusAddress;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DBusConnection? _connection;
    private Task? _disconnected;
    private bool _disposed;

    public SystemdUnitRestartAction(string unitName, TimeProvider timeProvider, ILogger logger, string? busAddress = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _unitName = ValidateUnitName(unitName);
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The D-Bus timeout must be positive.");
        }

        if (busAddress is not null && string.IsNullOrWhiteSpace(busAddress))
        {
            throw new ArgumentException("The D-Bus address is empty: leave it unset to use the system bus.", nameof(busAddress));
        }

        _timeProvider = timeProvider;
        _logger = logger;
        _explicitBusAddress = busAddress;
        Timeout = timeout ?? DefaultTimeout;
    }

    public string Description => $"restart {_unitName} over D-Bus";

    public string UnitName => _unitName;

    public TimeSpan Timeout { get; }

    /// <summary>The explicit address, else <c>DBUS_SYSTEM_BUS_ADDRESS</c>, else the well-known system bus socket.</summary>
    public string? BusAddress => _explicitBusAddress ?? DBusAddress.System;

    public async Task RecoverAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var address = BusAddress ?? throw new RecoveryException(NoBusMessage("(unset)", "no address known"));
            var connection = await GetConnectionAsync(address, cancellationToken);
            var job = await CallRestartUnitAsync(connection, address, cancellationToken);
            LogRestartQueued(_logger, _unitName, job);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _gate.WaitAsync();
        try
        {
            DropConnection();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private static string ValidateUnitName(string unitName)
    {
        if (string.IsNullOrWhiteSpace(unitName))
        {
            throw new ArgumentException("The unit name is empty: pass --wg-unit, e.g. wg-quick@wg0.service.", nameof(unitName));
        }

        if (unitName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            throw new ArgumentException($"'{unitName}' is not a systemd unit name (no spaces, control characters or '/'): check --wg-unit.", nameof(unitName));
        }

        return unitName;
    }

    private static string NoBusMessage(string address, string reason)
        => $"no system D-Bus at {address} ({reason}): use --recovery-command or --recovery none on hosts without systemd";
}
