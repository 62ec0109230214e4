namespace ProtonPortSync;

/// <summary>The process's exit codes, for every command; README's table lists them, and each has a test.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Could not run (e.g. --metrics-addr in use), or `doctor` found a failing check.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown flag, a missing or invalid value, a secret file that can never work.</summary>
    public const int Usage = 2;

    /// <summary>`probe`: no valid reply in time (the gateway is down, or policy routing sends the request elsewhere).</summary>
    public const int ProbeNoReply = 3;

    /// <summary>`probe`: ICMP port unreachable (ECONNREFUSED): on ProtonVPN, port forwarding is not enabled.</summary>
    public const int ProbeRefused = 4;

    /// <summary>`probe`: the gateway answered with an error result code, or granted nothing usable.</summary>
    public const int ProbeResultCode = 5;

    /// <summary>`probe`: the socket could not be opened: the bind address is on no interface (EADDRNOTAVAIL), or no such interface.</summary>
    public const int ProbeSocket = 6;

    /// <summary>EX_SOFTWARE: the loop crashed, so that Restart=on-failure restarts the daemon.</summary>
    public const int Crashed = 70;
}
