namespace ProtonPortSync.Doctor;

/// <summary>
/// Runs `doctor`'s checks in order and prints one line each with a verdict and a fix. Exit code 0 when nothing
/// failed (warnings allowed), 1 otherwise. Which checks run is decided by the composition root (Hosting.DoctorHost).
/// </summary>
internal static class DoctorCommand
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitFailed = ExitCodes.Failure;

    /// <summary>Runs the checks in order, prints each as it ends, and returns the exit code.</summary>
    public static async Task<int> RunChecksAsync(IReadOnlyList<IDoctorCheck> checks, TextWriter stdout, CancellationToken cancellationToken)
    {
        var failed = false;
        foreach (var check in checks)
        {
            var result = await check.RunAsync(cancellationToken);
            failed |= result.Verdict == DoctorVerdict.Fail;
            await stdout.WriteLineAsync(Format(result));
        }

        return failed ? ExitFailed : ExitOk;
    }

    /// <summary><c>fail  gateway       10.2.0.1:5351 refused … — fix: …</c></summary>
    public static string Format(DoctorResult r)
    {
        var verdict = r.Verdict switch
        {
            DoctorVerdict.Ok => "ok",
            DoctorVerdict.Warn => "warn",
            _ => "fail",
        };
        return $"{verdict,-5} {r.Name,-12} {r.Detail}{(r.Fix is null ? string.Empty : $" — fix: {r.Fix}")}";
    }
}
