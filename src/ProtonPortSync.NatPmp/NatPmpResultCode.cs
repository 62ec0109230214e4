namespace ProtonPortSync.NatPmp;

/// <summary>Result codes of RFC 6886 §3.5. Any other value is a fatal error of that request.</summary>
public enum NatPmpResultCode : ushort
{
    Success = 0,
    UnsupportedVersion = 1,

    /// <summary>Not Authorized/Refused: e.g. the box supports mapping but the user turned it off.</summary>
    NotAuthorizedOrRefused = 2,

    /// <summary>Network Failure: e.g. the gateway has not obtained a DHCP lease.</summary>
    NetworkFailure = 3,

    /// <summary>Out of resources: the gateway cannot create any more mappings now.</summary>
    OutOfResources = 4,

    UnsupportedOpcode = 5,
}
