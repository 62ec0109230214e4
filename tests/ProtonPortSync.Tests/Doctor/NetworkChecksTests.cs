using System.Net;
using ProtonPortSync.Doctor;

namespace ProtonPortSync.Tests.Doctor;

public sealed class NetworkChecksTests
{
    private static readonly IPAddress Tunnel = IPAddress.Parse("10.2.0.2");
    private static readonly IPAddress Gateway = IPAddress.Parse("10.2.0.1");
    private static readonly NetworkLink Wg0 = new("wg0", true, [Tunnel]);
    private static readonly NetworkLink Eth0 = new("eth0", true, [IPAddress.Parse("192.168.1.5")]);

    [Fact]
    public async Task BindAddressCheck_AddressOnUpLink_OkNamesLink()
    {
        var r = await new BindAddressCheck(new FixedLinks(Eth0, Wg0), Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Contains("wg0", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAddressCheck_AddressNowhere_FailNamesAddress()
    {
        var r = await new BindAddressCheck(new FixedLinks(Eth0), IPAddress.Parse("10.9.9.9"), null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("10.9.9.9", r.Detail, StringComparison.Ordinal);
        Assert.Contains("--bind-address", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAddressCheck_InterfaceMissing_FailListsInterfaces()
    {
        var r = await new BindAddressCheck(new FixedLinks(Eth0), null, "wg0").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("wg0 does not exist (have: eth0)", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAddressCheck_InterfaceDown_Fail()
    {
        var r = await new BindAddressCheck(new FixedLinks(Wg0 with { IsUp = false }), null, "wg0").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("down", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAddressCheck_InterfaceWithoutIPv4_Fail()
    {
        var r = await new BindAddressCheck(new FixedLinks(Wg0 with { Addresses = [] }), null, "wg0").RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("no IPv4", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteCheck_BoundAndUnboundViaTunnel_Ok()
    {
        var routes = new FixedRoutes(new RouteLookup("wg0", null), new RouteLookup("wg0", null));

        var r = await new RouteCheck(new FixedLinks(Wg0), routes, Gateway, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Ok, r.Verdict);
        Assert.Equal([Tunnel, null], routes.Sources);
    }

    [Fact]
    public async Task RouteCheck_PolicyRoutingUnboundViaLan_WarnNamesLanDevice()
    {
        var routes = new FixedRoutes(new RouteLookup("wg0", null), new RouteLookup("eth0", null));

        var r = await new RouteCheck(new FixedLinks(Eth0, Wg0), routes, Gateway, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Warn, r.Verdict);
        Assert.Contains("unbound socket would go via eth0", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteCheck_BoundViaLan_FailWithPolicyRuleFix()
    {
        var routes = new FixedRoutes(new RouteLookup("eth0", null), new RouteLookup("eth0", null));

        var r = await new RouteCheck(new FixedLinks(Eth0, Wg0), routes, Gateway, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("via eth0, not the tunnel wg0", r.Detail, StringComparison.Ordinal);
        Assert.Contains("ip rule add from 10.2.0.2", r.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteCheck_InterfaceGiven_UsesItsAddressAsSource()
    {
        var routes = new FixedRoutes(new RouteLookup("wg0", null), new RouteLookup("wg0", null));

        await new RouteCheck(new FixedLinks(Wg0), routes, Gateway, null, "wg0").RunAsync(default);

        Assert.Equal(Tunnel, routes.Sources[0]);
    }

    [Fact]
    public async Task RouteCheck_NoRoute_FailWithError()
    {
        var routes = new FixedRoutes(new RouteLookup(null, "RTNETLINK answers: Network is unreachable"), new RouteLookup(null, "x"));

        var r = await new RouteCheck(new FixedLinks(Wg0), routes, Gateway, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Contains("Network is unreachable", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteCheck_BindAddressMissing_FailWithoutLookup()
    {
        var routes = new FixedRoutes(new RouteLookup("wg0", null), new RouteLookup("wg0", null));

        var r = await new RouteCheck(new FixedLinks(Eth0), routes, Gateway, Tunnel, null).RunAsync(default);

        Assert.Equal(DoctorVerdict.Fail, r.Verdict);
        Assert.Empty(routes.Sources);
    }

    [Theory]
    [InlineData("10.2.0.1 from 10.2.0.2 dev wg0 table 51820 uid 0 \\    cache ", "wg0")]
    [InlineData("10.2.0.1 via 192.168.77.1 dev lan0 src 192.168.77.2 uid 0 \\    cache ", "lan0")]
    public void Parse_IpRouteGetLine_Device(string line, string device)
        => Assert.Equal(device, IpRouteLookup.Parse(line).Device);

    [Fact]
    public void Parse_NoDevice_Error()
        => Assert.NotNull(IpRouteLookup.Parse("unreachable 10.2.0.1").Error);
}
