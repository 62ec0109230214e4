using Microsoft.Extensions.Logging.Abstractions;
using ProtonPortSync.Sync;
using ProtonPortSync.Tests.Fakes;
using ProtonPortSync.TorrentClients;
using ProtonPortSync.TorrentClients.Transmission;

namespace ProtonPortSync.Tests.TorrentClients.Transmission;

/// <summary>--transmission-port-test: Transmission's port-test as the client's connection status, asked sparingly.</summary>
public sealed class TransmissionClientPortTestTests
{
    private const string FailedAnswer = """{"arguments":{},"result":"portTested: http error 0: No Response"}""";
    private const string Failed41Answer = """{"arguments":{},"result":"Couldn't test port: No Response (0)"}""";

    [Theory]
    [InlineData(TransmissionFake.OpenPortTestAnswer, "connected")]
    [InlineData("""{"arguments":{"port-is-open":false},"result":"success"}""", "firewalled")]
    [InlineData("""{"arguments":{"port-is-open":false,"ipProtocol":"ipv4"},"result":"success"}""", "firewalled")]
    [InlineData("""{"arguments":{},"result":"success"}""", "unknown")]
    [InlineData(FailedAnswer, "unknown")]
    [InlineData(Failed41Answer, "unknown")]
    public async Task GetConnectionStatusAsync_PortTestAnswers_MappedToTheConnectionStatus(string answer, string expected)
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.PortTestAnswer = answer;
        var client = bed.Client(portTest: true);
        await client.GetListenPortAsync(CancellationToken.None);

        var status = await client.GetConnectionStatusAsync(CancellationToken.None);

        Assert.Equal(expected, ClientConnectionStatusText.Name(status));
        var request = Assert.Single(bed.Fake.Requests, r => r.Method == "port-test");
        Assert.Contains("\"ipProtocol\":\"ipv4\"", request.Body, StringComparison.Ordinal);
        Assert.Equal(answer is FailedAnswer or Failed41Answer ? 1 : 0, bed.Logger.Count(2215));
    }

    [Fact]
    public async Task GetConnectionStatusAsync_EveryCycle_AsksTheOutsideServiceOnlyAfterAChangeOrEvery15Minutes()
    {
        using var bed = new TransmissionTestBed();
        var client = bed.Client(portTest: true);
        await client.GetListenPortAsync(CancellationToken.None);

        for (var i = 0; i < 19; i++)
        {
            await client.GetConnectionStatusAsync(CancellationToken.None);
            bed.Time.Advance(TimeSpan.FromSeconds(45));
        }

        Assert.Equal(1, bed.Fake.PortTests);

        bed.Time.Advance(TimeSpan.FromSeconds(45));
        await client.GetConnectionStatusAsync(CancellationToken.None);
        Assert.Equal(2, bed.Fake.PortTests);

        await client.SetListenPortAsync(45123, CancellationToken.None);
        Assert.Equal(ClientConnectionStatus.Connected, await client.GetConnectionStatusAsync(CancellationToken.None));
        Assert.Equal(3, bed.Fake.PortTests);
    }

    [Fact]
    public async Task GetConnectionStatusAsync_OutsideServiceUnreachable_UnknownAndNotAskedAgainEveryCycle()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.PortTestAnswer = FailedAnswer;
        var client = bed.Client(portTest: true);
        await client.GetListenPortAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ClientConnectionStatus.Unknown, await client.GetConnectionStatusAsync(CancellationToken.None));
            bed.Time.Advance(TimeSpan.FromSeconds(45));
        }

        Assert.Equal(1, bed.Fake.PortTests);
        Assert.Equal(1, bed.Logger.Count(2215));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Constructor_PortTestFlag_ReportsStatusAndWarnsAboutTheOutsideServiceOnlyWhenOn(bool on)
    {
        using var bed = new TransmissionTestBed();

        var client = bed.Client(portTest: on);

        Assert.Equal(on, client.ReportsConnectionStatus);
        Assert.Equal(on ? 1 : 0, bed.Logger.Count(2213));
        if (on)
        {
            var warning = Assert.Single(bed.Logger.Entries, e => e.EventId == 2213);
            Assert.Contains("public address", warning.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Loop_PortTestOffByDefault_NeverAskedAndNoStatus()
    {
        using var bed = new TransmissionTestBed();
        var loop = Loop(bed, bed.Client());

        await loop.StepAsync(default);

        Assert.True(loop.State.InSync);
        Assert.Null(loop.State.ClientConnection);
        Assert.Equal(0, bed.Fake.PortTests);
    }

    [Fact]
    public async Task Loop_PortTestSaysClosedForAnHour_FirewalledAndNeverRebound()
    {
        using var bed = new TransmissionTestBed();
        bed.Fake.PortTestAnswer = """{"arguments":{"port-is-open":false},"result":"success"}""";
        var loop = Loop(bed, bed.Client(portTest: true));

        await loop.StepAsync(default);
        var end = bed.Time.GetUtcNow() + TimeSpan.FromHours(1);
        for (var i = 0; i < 500 && bed.Time.GetUtcNow() < end; i++)
        {
            bed.Time.Advance(SyncDecisions.NextWake(loop.State, bed.Time.GetUtcNow(), new SyncSettings()) - bed.Time.GetUtcNow());
            await loop.StepAsync(default);
        }

        Assert.True(loop.State.InSync);
        Assert.Equal(ClientConnectionStatus.Firewalled, loop.State.ClientConnection);
        Assert.Equal([40010], bed.Fake.PeerPortHistory);
        Assert.InRange(bed.Fake.PortTests, 4, 5);
    }

    private static PortSyncLoop Loop(TransmissionTestBed bed, TransmissionClient client)
        => new(new FakePortMapper(bed.Time), client, new FakeRecoveryAction(bed.Time), new RecordingObserver(), new SyncSettings(), bed.Time, NullLogger<PortSyncLoop>.Instance);
}
