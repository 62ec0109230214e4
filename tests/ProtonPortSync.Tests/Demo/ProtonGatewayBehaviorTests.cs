using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Demo;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Tests.Demo;

/// <summary>
/// The emulated Proton gateway, request bytes in, reply bytes out, on fake time. Ports come from a scripted Random:
/// 40010 = 0x9C4A, 51413 = 0xC8D5, 1024 = 0x0400.
/// </summary>
public sealed class ProtonGatewayBehaviorTests
{
    private readonly FakeTimeProvider _time = new();

    // Proton's documented request (natpmpc -a 1 0 udp 60): internal 0, suggested external 1, 60 s.
    private const string MapUdpProton = "00010000 0000 0001 0000003C";
    private const string MapTcpProton = "00020000 0000 0001 0000003C";

    [Fact]
    public void Handle_PublicAddressRequest_ReportsAddressAndEpochSeconds()
    {
        var gateway = Create();
        _time.Advance(TimeSpan.FromSeconds(5.9));
        Assert.Equal(Hex("0080 0000 00000005 CB007107"), Answer(gateway, "0000"));
        gateway.PublicAddress = IPAddress.Parse("198.51.100.1");
        Assert.Equal(Hex("0080 0000 00000005 C6336401"), Answer(gateway, "0000"));
    }

    [Fact]
    public void Handle_FirstMap_GetsGatewayChosenPortAndEchoesInternalZero()
    {
        var gateway = Create(40010);
        Assert.Equal(Hex("0081 0000 00000000 0000 9C4A 0000003C"), Answer(gateway, MapUdpProton));
        Assert.Equal((ushort)40010, gateway.CurrentPort);
    }

    [Fact]
    public void Handle_TcpAfterUdp_SamePortForBoth()
    {
        var gateway = Create(40010, 51413);
        Answer(gateway, MapUdpProton);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Hex("0082 0000 00000001 0000 9C4A 0000003C"), Answer(gateway, MapTcpProton));
    }

    [Fact]
    public void Handle_LongLifetimeAndOtherSuggestion_Grants60sOnItsOwnPort()
    {
        var gateway = Create(40010);

        // Internal 0x1234, suggested 0xC8D5, lifetime 3600: the suggestion is ignored, the lease cut to 60 s.
        Assert.Equal(Hex("0081 0000 00000000 1234 9C4A 0000003C"), Answer(gateway, "00010000 1234 C8D5 00000E10"));
    }

    [Fact]
    public void Handle_RenewalWithinLease_KeepsPortWhateverIsSuggested()
    {
        var gateway = Create(40010, 51413);
        Answer(gateway, MapUdpProton);
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(Hex("0081 0000 0000002D 0000 9C4A 0000003C"), Answer(gateway, "00010000 0000 C8D5 0000003C"));
    }

    [Fact]
    public void Handle_RenewalAfterLeaseLapsed_GetsNewPort()
    {
        var gateway = Create(40010, 51413);
        Answer(gateway, MapUdpProton);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(gateway.CurrentPort);
        Assert.Equal(Hex("0081 0000 0000003C 0000 C8D5 0000003C"), Answer(gateway, "00010000 0000 9C4A 0000003C"));
    }

    [Fact]
    public void Handle_ShortLease_LapsesAtItsOwnEnd()
    {
        var gateway = Create(40010, 51413);
        Assert.Equal(Hex("0081 0000 00000000 0000 9C4A 0000000A"), Answer(gateway, "00010000 0000 0001 0000000A"));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal((ushort)40010, gateway.CurrentPort);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(gateway.CurrentPort);
    }

    [Fact]
    public void Handle_DeleteOneProtocol_OtherKeepsThePort()
    {
        var gateway = Create(40010, 51413);
        Answer(gateway, MapUdpProton);
        Answer(gateway, MapTcpProton);

        // §3.4: delete = lifetime 0, suggested 0; reply external 0, lifetime 0, internal echoed.
        Assert.Equal(Hex("0081 0000 00000000 1234 0000 00000000"), Answer(gateway, "00010000 1234 0000 00000000"));
        Assert.Equal((ushort)40010, gateway.CurrentPort);
        Assert.Equal(Hex("0082 0000 00000000 0000 0000 00000000"), Answer(gateway, "00020000 0000 0000 00000000"));
        Assert.Null(gateway.CurrentPort);
        Assert.Equal(Hex("0081 0000 00000000 0000 C8D5 0000003C"), Answer(gateway, MapUdpProton));
    }

    [Fact]
    public void Handle_ChangeEvery_RenewalPastItMovesThePort()
    {
        var gateway = Create(TimeSpan.FromSeconds(90), 40010, 51413);
        Answer(gateway, MapUdpProton);
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(Hex("0081 0000 0000002D 0000 9C4A 0000003C"), Answer(gateway, MapUdpProton));
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(Hex("0081 0000 0000005A 0000 C8D5 0000003C"), Answer(gateway, MapUdpProton));
    }

    [Fact]
    public void ForcePortChange_LiveMapping_NextRenewalGetsNewPort()
    {
        var gateway = Create(40010, 40010, 1024);
        Answer(gateway, MapUdpProton);
        gateway.ForcePortChange();

        // The scripted 40010 repeats the old port; the gateway must pick again and land on 1024.
        Assert.Equal((ushort)1024, gateway.CurrentPort);
        Assert.Equal(Hex("0081 0000 00000000 0000 0400 0000003C"), Answer(gateway, MapUdpProton));
    }

    [Fact]
    public void ForcePortChange_NoMapping_ChangesNothing()
    {
        var gateway = Create(40010);
        gateway.ForcePortChange();
        Assert.Null(gateway.CurrentPort);
        Assert.Equal(Hex("0081 0000 00000000 0000 9C4A 0000003C"), Answer(gateway, MapUdpProton));
    }

    [Fact]
    public void Restart_ResetsEpochAndForgetsMappings()
    {
        var gateway = Create(40010, 51413);
        Answer(gateway, MapUdpProton);
        _time.Advance(TimeSpan.FromSeconds(30));
        gateway.Restart();
        Assert.Null(gateway.CurrentPort);
        Assert.Equal(0u, gateway.EpochSeconds);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Hex("0081 0000 00000002 0000 C8D5 0000003C"), Answer(gateway, MapUdpProton));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000000")] // public address request, one byte too long
    [InlineData("00010000 0000 0001 000000")] // map request, 11 bytes
    [InlineData("00010000 0000 0001 0000003C 00")] // map request, 13 bytes
    [InlineData("0081 0000 00000000 0000 9C4A 0000003C")] // a response looped back
    public void Handle_Malformed_IsIgnoredAndCounted(string request)
    {
        var gateway = Create(40010);
        Assert.Empty(Answer(gateway, request));
        Assert.Equal(1, gateway.IgnoredCount);
        Assert.Null(gateway.CurrentPort);
    }

    [Fact]
    public void Handle_UnsupportedVersionOrOpcode_AnswersRfcResultInShortReply()
    {
        var gateway = Create(40010);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(Hex("0081 0001 00000003"), Answer(gateway, "01010000 0000 0001 0000003C"));
        Assert.Equal(Hex("0083 0005 00000003"), Answer(gateway, "0003"));
        Assert.Equal(2, gateway.UnsupportedCount);
        Assert.Null(gateway.CurrentPort);
    }

    [Fact]
    public void RequestCount_MixedTraffic_CountsWellFormedByOpcode()
    {
        var gateway = Create(40010);
        Answer(gateway, "0000");
        Answer(gateway, MapUdpProton);
        Answer(gateway, MapUdpProton);
        Answer(gateway, MapTcpProton);
        Answer(gateway, "00");
        Assert.Equal(1, gateway.RequestCount(NatPmpOpcode.PublicAddress));
        Assert.Equal(2, gateway.RequestCount(NatPmpOpcode.MapUdp));
        Assert.Equal(1, gateway.RequestCount(NatPmpOpcode.MapTcp));
        Assert.Equal(1, gateway.IgnoredCount);
    }

    [Fact]
    public void Ctor_BadSettings_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(TimeSpan.Zero, 40010));
        Assert.Throws<ArgumentException>(() => Create(40010).PublicAddress = IPAddress.IPv6Loopback);
    }

    [Theory]
    [InlineData((int)InternalPortReply.Echo, "00010000 1388 0001 0000003C", "1388")] // echoes a real internal port
    [InlineData((int)InternalPortReply.Zero, "00010000 1388 0001 0000003C", "0000")]
    [InlineData((int)InternalPortReply.ExternalPort, MapUdpProton, "9C4A")]
    [InlineData((int)InternalPortReply.Zero, MapUdpProton, "0000")]
    public void Handle_InternalPortReplyVariant_AnswersThatWay(int variant, string request, string internalHex)
    {
        var gateway = Create(40010);
        gateway.InternalPortReply = (InternalPortReply)variant;

        Assert.Equal(Hex($"0081 0000 00000000 {internalHex} 9C4A 0000003C"), Answer(gateway, request));
    }

    private ProtonGatewayBehavior Create(params int[] ports) => Create(null, ports);

    private ProtonGatewayBehavior Create(TimeSpan? changeEvery, params int[] ports)
        => new(_time, ProtonGatewayEmulatorOptions.DefaultPublicAddress, changeEvery, new ScriptedRandom(ports), NullLogger.Instance);

    private static byte[] Answer(ProtonGatewayBehavior gateway, string requestHex)
    {
        var reply = new byte[NatPmpCodec.MapResponseLength];
        var length = gateway.Handle(Hex(requestHex), reply);
        return reply[..length];
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));
}
