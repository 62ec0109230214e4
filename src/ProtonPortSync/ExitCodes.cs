namespace ProtonPortSync;

/// <summary>The process's exit codes, for every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>EX_SOFTWARE: the loop crashed, so that Restart=on-failure restarts the daemon.</summary>
    public const int Crashed = 70;
}
