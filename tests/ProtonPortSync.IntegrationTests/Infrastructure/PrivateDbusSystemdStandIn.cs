using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>How the stand-in answers RestartUnit.</summary>
public enum StandInReply
{
    JobPath,
    AccessDenied,
    InteractiveAuthorizationRequired,
    NoSuchUnit,
    Never,
}

/// <summary>
/// A stand-in for systemd's Manager on a <see cref="PrivateDbus"/>: a second D-Bus connection that owns
/// <c>org.freedesktop.systemd1</c>, serves <c>RestartUnit(ss) → o</c> at <c>/org/freedesktop/systemd1</c>, records
/// every call, and answers as scripted. The daemon routes the calls, so the client code path is the real one.
/// </summary>
internal sealed class PrivateDbusSystemdStandIn : IPathMethodHandler, IDisposable
{
    private readonly DBusConnection _connection;
    private readonly ConcurrentQueue<(string Unit, string Mode)> _calls = new();
    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<MethodContext> _unanswered = [];
    private int _jobs;

    private PrivateDbusSystemdStandIn(DBusConnection connection, StandInReply reply)
    {
        _connection = connection;
        Reply = reply;
    }

    public StandInReply Reply { get; set; }

    public IReadOnlyCollection<(string Unit, string Mode)> Calls => _calls;

    /// <summary>Completes when the first RestartUnit call arrives; throws a TimeoutException after <paramref name="timeout"/>.</summary>
    public Task WaitForFirstCallAsync(TimeSpan timeout) => _firstCall.Task.WaitAsync(timeout);

    public string Path => "/org/freedesktop/systemd1";

    public bool HandlesChildPaths => false;

    public static async Task<PrivateDbusSystemdStandIn> StartAsync(string address, StandInReply reply = StandInReply.JobPath)
    {
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync();
            var standIn = new PrivateDbusSystemdStandIn(connection, reply);
            connection.AddMethodHandler(standIn);
            await connection.RequestNameAsync("org.freedesktop.systemd1");
            return standIn;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        if (request.InterfaceAsString != "org.freedesktop.systemd1.Manager" || request.MemberAsString != "RestartUnit"
            || request.SignatureAsString != "ss")
        {
            context.ReplyUnknownMethodError();
            return ValueTask.CompletedTask;
        }

        var reader = request.GetBodyReader();
        var unit = reader.ReadString();
        var mode = reader.ReadString();
        _calls.Enqueue((unit, mode));
        _firstCall.TrySetResult();
        switch (Reply)
        {
            case StandInReply.JobPath:
                using (var writer = context.CreateReplyWriter("o"))
                {
                    writer.WriteObjectPath($"/org/freedesktop/systemd1/job/{Interlocked.Increment(ref _jobs)}");
                    context.Reply(writer.CreateMessage());
                }

                break;
            case StandInReply.AccessDenied:
                context.ReplyError("org.freedesktop.DBus.Error.AccessDenied", "Access denied");
                break;
            case StandInReply.InteractiveAuthorizationRequired:
                context.ReplyError("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "Interactive authentication required.");
                break;
            case StandInReply.NoSuchUnit:
                context.ReplyError("org.freedesktop.systemd1.NoSuchUnit", $"Unit {unit} not found.");
                break;
            case StandInReply.Never:
                // Keep the request open without replying: a hung systemd or a polkit prompt nobody answers.
                context.DisposesAsynchronously = true;
                lock (_unanswered)
                {
                    _unanswered.Add(context);
                }

                break;
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_unanswered)
        {
            foreach (var context in _unanswered)
            {
                context.Dispose();
            }

            _unanswered.Clear();
        }

        _connection.Dispose();
    }
}
