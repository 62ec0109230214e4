using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Hosting;
using ProtonPortSync.NatPmp;

namespace ProtonPortSync.Cli;

/// <summary>
/// `probe`: one public-address request and one UDP and one TCP mapping, printed for a person or as JSON. The exit
/// code names the failure: 3 no reply, 4 refused, 5 result code or nothing granted, 6 the socket could not be
/// opened (a bind address on no interface is EADDRNOTAVAIL at bind time: nothing was sent, so it is not a "no reply").
/// </summary>
internal static class ProbeCommand
{
    /// <summary>The probe's log level when none is given: it prints its own result, so only warnings are logged.</summary>
    public const string DefaultLogLevel = "warning";

    public const int ExitTimeout = ExitCodes.ProbeNoReply;
    public const int ExitRefused = ExitCodes.ProbeRefused;
    public const int ExitResultCode = ExitCodes.ProbeResultCode;
    public const int ExitNetwork = ExitCodes.ProbeSocket;

    // Messages carry quotes and arrows: keep them readable in the JSON (it is printed, not embedded in HTML).
    private static readonly ProbeJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static async Task<int> RunAsync(DaemonOptions options, bool json, TextWriter stdout, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var result = new ProbeResult
        {
            Gateway = options.Gateway.ToString(),
            BindAddress = options.BindAddress?.ToString(),
            Interface = options.Interface,
        };

        try
        {
            using var transport = UdpNatPmpTransport.Open(options.Gateway, options.BindAddress, options.Interface);
            result.BoundTo = transport.LocalEndPoint.ToString();
            using var client = new NatPmpClient(transport, options.Gateway, time, loggers.CreateLogger<NatPmpClient>());

            result.PublicAddress = await Step(result, async () => (await client.GetPublicAddressAsync(options.RequestTimeout, cancellationToken)).Address.ToString());
            if (result.Failure is null or nameof(NatPmpFailure.ResultCode))
            {
                result.Udp = await Step(result, () => MapAsync(client, NatPmpProtocol.Udp, options, cancellationToken));
            }

            if (result.Failure is null or nameof(NatPmpFailure.ResultCode))
            {
                result.Tcp = await Step(result, () => MapAsync(client, NatPmpProtocol.Tcp, options, cancellationToken));
            }
        }
        catch (NatPmpException ex)
        {
            Record(result, ex);
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(result, Json.ProbeResult));
        }
        else
        {
            await WriteHumanAsync(stdout, result);
        }

        return result.ExitCode;
    }

    private static async Task<ProbeMapping> MapAsync(NatPmpClient client, NatPmpProtocol protocol, DaemonOptions options, CancellationToken cancellationToken)
    {
        var m = await client.MapAsync(protocol, options.InternalPort, options.SuggestedPort, options.Lifetime, options.RequestTimeout, cancellationToken);
        return new ProbeMapping { InternalPort = m.InternalPort, ExternalPort = m.ExternalPort, LifetimeSeconds = (uint)m.Lifetime.TotalSeconds, Epoch = m.SecondsSinceEpoch };
    }

    private static async Task<T?> Step<T>(ProbeResult result, Func<Task<T>> step)
        where T : class
    {
        try
        {
            return await step();
        }
        catch (NatPmpException ex)
        {
            Record(result, ex);
            return null;
        }
    }

    private static void Record(ProbeResult result, NatPmpException ex)
    {
        result.Errors.Add(ex.Message);
        if (result.Failure is null)
        {
            result.Failure = ex.Failure.ToString();
            result.ExitCode = ex.Failure switch
            {
                NatPmpFailure.Timeout => ExitTimeout,
                NatPmpFailure.ConnectionRefused => ExitRefused,
                NatPmpFailure.ResultCode or NatPmpFailure.InvalidGrant => ExitResultCode,
                _ => ExitNetwork,
            };
        }
    }

    private static async Task WriteHumanAsync(TextWriter w, ProbeResult r)
    {
        var from = r.BoundTo ?? r.BindAddress ?? r.Interface ?? "?";
        await w.WriteLineAsync($"gateway         {r.Gateway} (from {from}{(r.Interface is null ? string.Empty : $" on {r.Interface}")})");
        // gluetun #2051: the address NAT-PMP reports is where peers connect; it need not be the WireGuard Endpoint.
        await w.WriteLineAsync($"public address  {r.PublicAddress ?? "-"}{(r.PublicAddress is null ? string.Empty : " (where peers connect; it can differ from the WireGuard Endpoint, which is only where the tunnel goes)")}");
        await w.WriteLineAsync($"UDP mapping     {Describe(r.Udp)}");
        await w.WriteLineAsync($"TCP mapping     {Describe(r.Tcp)}");
        if (r.Udp is { } u && r.Tcp is { } t && u.ExternalPort != t.ExternalPort)
        {
            await w.WriteLineAsync($"note            UDP and TCP got different ports; the daemon uses TCP's ({t.ExternalPort}).");
        }

        foreach (var e in r.Errors)
        {
            await w.WriteLineAsync($"error           {e}");
        }

        await w.WriteLineAsync(r.ExitCode == 0 ? "result          OK: the gateway forwards port " + r.Tcp!.ExternalPort.ToString(CultureInfo.InvariantCulture) : "result          FAILED");
    }

    private static string Describe(ProbeMapping? m) => m is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"external {m.ExternalPort} (internal {m.InternalPort}, lifetime {m.LifetimeSeconds} s, epoch {m.Epoch} s)");
}

internal sealed class ProbeResult
{
    public string Gateway { get; set; } = string.Empty;

    public string? BindAddress { get; set; }

    public string? Interface { get; set; }

    public string? BoundTo { get; set; }

    public string? PublicAddress { get; set; }

    /// <summary>
    /// "address:port" peers connect to: the NAT-PMP public address and the TCP mapping's external port, as /status's
    /// peers_connect_to. Not the WireGuard Endpoint, which can differ (gluetun #2051); null unless both are known.
    /// </summary>
    public string? PeersConnectTo => PublicAddress is { } address && Tcp is { } tcp ? $"{address}:{tcp.ExternalPort}" : null;

    public ProbeMapping? Udp { get; set; }

    public ProbeMapping? Tcp { get; set; }

    public string? Failure { get; set; }

    public List<string> Errors { get; } = [];

    public int ExitCode { get; set; }

    public bool Ok => ExitCode == 0;
}

internal sealed class ProbeMapping
{
    public int InternalPort { get; set; }

    public int ExternalPort { get; set; }

    public uint LifetimeSeconds { get; set; }

    public uint Epoch { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProbeResult))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
