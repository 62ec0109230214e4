using System.Net;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Tests.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Deluge;
using ProtonPortSync.TorrentClients.QBittorrent;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.Fuzz;

/// <summary>
/// Each adapter's response parser against random and mutated JSON, wrong types, truncation and huge numbers: only a
/// <see cref="TorrentClientException"/> escapes, and a port is accepted only when it is one (0–65535).
/// </summary>
public sealed class AdapterResponseFuzzTests : IDisposable
{
    private static readonly long Iterations = Budget.Iterations(1_500);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("pps-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task QBittorrent_GetListenPort_HostilePreferences_OnlyValidPortOrClientException()
        => await SampleHostileAsync(
            "{\"listen_port\":40010,\"upnp\":false,\"random_port\":false}",
            async body =>
            {
                using var client = QBittorrent(body);
                await AssertValidOrClientFailureAsync(() => client.GetListenPortAsync(default), body);
            });

    [Fact]
    public async Task Transmission_GetListenPort_HostileSession_OnlyValidPortOrClientException()
        => await SampleHostileAsync(
            "{\"arguments\":{\"peer-port\":40010,\"port-forwarding-enabled\":false},\"result\":\"success\"}",
            async body =>
            {
                using var client = Transmission(body, new TransmissionOptions());
                await AssertValidOrClientFailureAsync(() => client.GetListenPortAsync(default), body);
            });

    [Fact]
    public async Task Deluge_GetListenPort_HostileAnswerAtAnyStep_OnlyValidPortOrClientException()
    {
        var password = Path.Combine(_directory, "deluge");
        QBittorrentTestBed.WriteSecret(password, "pw\n");
        string[] methods = ["auth.login", "web.connected", "core.get_listen_port"];
        await Gen.Select(Gen.Int[0, 2], Gen.OneOf<string>(JsonGen.Document, JsonGen.Mutations("{\"result\":40010,\"error\":null,\"id\":1}", "{\"result\":true,\"error\":null,\"id\":1}", "{\"result\":null,\"error\":{\"message\":\"x\",\"code\":2},\"id\":1}"))).SampleAsync(
            async tuple =>
            {
                var (hostileStep, body) = tuple;
                var handler = new ScriptedHttpHandler((_, request) =>
                {
                    var method = JsonDocument.Parse(request).RootElement.GetProperty("method").GetString();
                    if (method == methods[hostileStep])
                    {
                        return (HttpStatusCode.OK, body);
                    }

                    return (HttpStatusCode.OK, method == "core.get_listen_port" ? "{\"result\":40010,\"error\":null,\"id\":1}" : "{\"result\":true,\"error\":null,\"id\":1}");
                })
                { SetCookie = "_session_id=abc; Path=/" };
                using var client = new DelugeClient(new DelugeOptions { PasswordFile = password }, _time, NullLogger.Instance, handler);
                await AssertValidOrClientFailureAsync(() => client.GetListenPortAsync(default), body);
            },
            iter: Iterations,
            seed: Budget.Seed);
    }

    [Fact]
    public async Task QBittorrent_GetConnectionStatus_HostileTransferInfo_AStatusOrClientException()
        => await SampleHostileAsync(
            "{\"connection_status\":\"connected\",\"dht_nodes\":12}",
            async body =>
            {
                using var client = QBittorrent(body);
                await AssertStatusOrClientFailureAsync(() => client.GetConnectionStatusAsync(default), body);
            });

    [Fact]
    public async Task Transmission_GetConnectionStatus_HostilePortTest_AStatusOrClientException()
        => await SampleHostileAsync(
            "{\"arguments\":{\"port-is-open\":true,\"ip_protocol\":\"ipv4\"},\"result\":\"success\"}",
            async body =>
            {
                using var client = Transmission(body, new TransmissionOptions { PortTest = true });
                await AssertStatusOrClientFailureAsync(() => client.GetConnectionStatusAsync(default), body);
            });

    [Fact]
    public async Task Deluge_Reannounce_HostileSessionState_PortChangeStillSucceedsAndOnlyTorrentIdsAreSent()
        => await SampleHostileAsync(
            "{\"result\":[\"0f4b\",\"9a1c\"],\"error\":null,\"id\":1}",
            async body =>
            {
                using var bed = new ProtonPortSync.Tests.TorrentClients.Deluge.DelugeTestBed();
                bed.Fake.Intercept = method => method == "core.get_session_state" ? ProtonPortSync.Tests.TorrentClients.Deluge.DelugeFake.Json(body) : null;

                // A broken reannounce is logged and forgotten: the port change itself must hold.
                await bed.Client(reannounce: true).SetListenPortAsync(40000, default);

                Assert.Equal(40000, bed.Fake.BoundPort);
                foreach (var call in bed.Fake.Requests.Where(r => r.Method == "core.force_reannounce"))
                {
                    var ids = JsonDocument.Parse(call.Body).RootElement.GetProperty("params")[0];
                    Assert.True(ids.ValueKind == JsonValueKind.Array && ids.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String), $"sent {call.Body} after {body}");
                }
            });

    /// <summary>Runs <paramref name="check"/> on arbitrary JSON documents and on mutations of <paramref name="valid"/>.</summary>
    private static Task SampleHostileAsync(string valid, Func<string, Task> check)
        => Gen.OneOf<string>(JsonGen.Document, JsonGen.Mutations(valid)).SampleAsync(check, iter: Iterations, seed: Budget.Seed);

    /// <summary>A qBittorrent adapter without credentials whose every request gets <paramref name="body"/>.</summary>
    private QBittorrentClient QBittorrent(string body)
        => new(new QBittorrentOptions { BaseUrl = new Uri("http://127.0.0.1:8080") }, _time, NullLogger<QBittorrentClient>.Instance, new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)));

    /// <summary>A Transmission adapter whose every request gets <paramref name="body"/>.</summary>
    private TransmissionClient Transmission(string body, TransmissionOptions options)
        => new(options, _time, NullLogger.Instance, new ScriptedHttpHandler((_, _) => (HttpStatusCode.OK, body)));

    private static async Task AssertStatusOrClientFailureAsync(Func<Task<ClientConnectionStatus>> read, string body)
    {
        try
        {
            var status = await read();
            Assert.True(Enum.IsDefined(status), $"status {(int)status} from {body}");
        }
        catch (TorrentClientException e)
        {
            Assert.True(e.Message.Length < 2_000, $"message of {e.Message.Length} characters");
            Assert.DoesNotContain('\r', e.Message);
            Assert.DoesNotContain('\u001b', e.Message);
        }
    }

    private static async Task AssertValidOrClientFailureAsync(Func<Task<int>> read, string body)
    {
        try
        {
            var port = await read();
            Assert.True(port is >= 0 and <= 65535, $"accepted port {port} from {body}");
        }
        catch (TorrentClientException e)
        {
            Assert.True(e.Message.Length < 2_000, $"message of {e.Message.Length} characters");
            Assert.DoesNotContain('\r', e.Message);
            Assert.DoesNotContain('\u001b', e.Message);
        }
    }
}
