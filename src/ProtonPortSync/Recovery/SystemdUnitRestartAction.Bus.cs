using Tmds.DBus.Protocol;

namespace ProtonPortSync.Recovery;

/// <summary>The D-Bus half: connection reuse, the RestartUnit call, and errors turned into advice.</summary>
internal sealed partial class SystemdUnitRestartAction
{
    private const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
    private const string InteractiveAuthorizationRequired = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";
    private const string NoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";
    private const string ServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown";
    private const string NameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner";

    private async Task<DBusConnection> GetConnectionAsync(string address, CancellationToken cancellationToken)
    {
        if (_connection is not null && _disconnected is { IsCompleted: true })
        {
            LogReconnecting(_logger, address);
            DropConnection();
        }

        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(Timeout, _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            connection.Dispose();
            throw;
        }
        catch (TimeoutException ex)
        {
            connection.Dispose();
            throw new RecoveryException(NoBusMessage(address, $"no answer within {Timeout.TotalSeconds:0.###} s"), ex);
        }
        catch (Exception ex)
        {
            connection.Dispose();
            throw new RecoveryException(NoBusMessage(address, ex.Message), ex);
        }

        LogConnected(_logger, address);
        _connection = connection;
        _disconnected = connection.DisconnectedAsync();
        return connection;
    }

    private async Task<string> CallRestartUnitAsync(DBusConnection connection, string address, CancellationToken cancellationToken)
    {
        MessageBuffer message;
        using (var writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(
                destination: SystemdBusName,
                path: ManagerPath,
                @interface: ManagerInterface,
                member: RestartUnitMethod,
                signature: "ss");
            writer.WriteString(_unitName);
            writer.WriteString(ReplaceMode);
            message = writer.CreateMessage();
        }

        try
        {
            return await connection
                .CallMethodAsync(message, static (Message reply, object? _) => ReadJobPath(reply), null)
                .WaitAsync(Timeout, _timeProvider, cancellationToken);
        }
        catch (DBusErrorReplyException ex)
        {
            throw new RecoveryException(DescribeError(ex.ErrorName, ex.ErrorMessage, address), ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            // The reply may still come; a fresh connection next time keeps a late one from confusing us.
            DropConnection();
            throw new RecoveryException(
                $"systemd did not answer RestartUnit({_unitName}) within {Timeout.TotalSeconds:0.###} s: it may be busy, or polkit may be waiting; the next attempt reconnects",
                ex);
        }
        catch (Exception ex)
        {
            DropConnection();
            throw new RecoveryException(
                $"the system D-Bus connection at {address} broke while restarting {_unitName} ({ex.Message}): the next attempt reconnects",
                ex);
        }
    }

    private static string ReadJobPath(Message reply)
    {
        var reader = reply.GetBodyReader();
        return reader.ReadObjectPathAsString();
    }

    private string DescribeError(string errorName, string errorMessage, string address) => errorName switch
    {
        AccessDenied or InteractiveAuthorizationRequired =>
            $"the service user may not restart {_unitName}: install the polkit rule (deploy/polkit) or run with permission ({errorName}: {errorMessage})",
        NoSuchUnit => $"unit {_unitName} does not exist: check --wg-unit ({errorMessage})",
        ServiceUnknown or NameHasNoOwner => NoBusMessage(address, $"systemd is not on that bus: {errorMessage}"),
        _ => $"systemd refused to restart {_unitName}: {errorName}: {errorMessage}",
    };

    private void DropConnection()
    {
        _connection?.Dispose();
        _connection = null;
        _disconnected = null;
    }
}
