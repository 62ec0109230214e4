using ProtonPortSync.NatPmp;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Observability;

/// <summary>Label values: a small fixed set each (low cardinality), snake_case as Prometheus prefers.</summary>
internal static class MetricLabels
{
    public static readonly NatPmpResultCode[] ResultCodes =
    [
        NatPmpResultCode.Success, NatPmpResultCode.UnsupportedVersion, NatPmpResultCode.NotAuthorizedOrRefused,
        NatPmpResultCode.NetworkFailure, NatPmpResultCode.OutOfResources, NatPmpResultCode.UnsupportedOpcode,
    ];

    /// <summary>Every value of the result label: the RFC's codes and "unknown" for any other code a gateway may send.</summary>
    public static readonly string[] ResultValues = [.. ResultCodes.Select(Result), Result((NatPmpResultCode)ushort.MaxValue)];

    public static readonly ClientUpdateOutcome[] Outcomes = [ClientUpdateOutcome.Success, ClientUpdateOutcome.Failure, ClientUpdateOutcome.ReadBackMismatch];

    public static readonly TorrentClientFailure[] LoginFailures = [TorrentClientFailure.BadCredentials, TorrentClientFailure.Banned];

    /// <summary>RFC 6886 §3.5 result codes; any other value is "unknown".</summary>
    public static string Result(NatPmpResultCode code) => code switch
    {
        NatPmpResultCode.Success => "success",
        NatPmpResultCode.UnsupportedVersion => "unsupported_version",
        NatPmpResultCode.NotAuthorizedOrRefused => "not_authorized",
        NatPmpResultCode.NetworkFailure => "network_failure",
        NatPmpResultCode.OutOfResources => "out_of_resources",
        NatPmpResultCode.UnsupportedOpcode => "unsupported_opcode",
        _ => "unknown",
    };

    public static string Outcome(ClientUpdateOutcome outcome) => outcome switch
    {
        ClientUpdateOutcome.Success => "success",
        ClientUpdateOutcome.ReadBackMismatch => "read_back_mismatch",
        _ => "failure",
    };

    public static string LoginFailure(TorrentClientFailure reason) => reason switch
    {
        TorrentClientFailure.BadCredentials => "bad_credentials",
        TorrentClientFailure.Banned => "banned",
        _ => "other",
    };
}
