namespace ProtonPortSync.Demo;

/// <summary>
/// What a ProtonVPN gateway puts in a mapping reply's internal port field. With Proton's documented request
/// (internal 0, suggested 1) it answers 0; with internal 0 and suggested 0 it answers the granted external port
/// (soxfor/qbittorrent-natmap #16). A standards gateway echoes the request.
/// </summary>
internal enum InternalPortReply
{
    /// <summary>The internal port of the request, as RFC 6886 §3.3 has it.</summary>
    Echo,

    /// <summary>Always 0.</summary>
    Zero,

    /// <summary>The granted external port.</summary>
    ExternalPort,
}
