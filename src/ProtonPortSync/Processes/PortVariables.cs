namespace ProtonPortSync.Processes;

/// <summary>The environment variables that tell a command about the forwarded port: the same names for hooks and the recovery command.</summary>
internal static class PortVariables
{
    /// <summary>The forwarded port (a hook: the new one; the recovery command: the one still held, if any).</summary>
    public const string Port = "FORWARDED_PORT";

    /// <summary>The gateway's public address, when it told it.</summary>
    public const string PublicAddress = "FORWARDED_PUBLIC_ADDRESS";

    /// <summary>A hook's: the port it last ran for successfully.</summary>
    public const string PreviousPort = "FORWARDED_PREVIOUS_PORT";

    /// <summary>The recovery command's: how many gateway requests failed in a row before it ran.</summary>
    public const string ConsecutiveFailures = "RECOVERY_CONSECUTIVE_FAILURES";
}
