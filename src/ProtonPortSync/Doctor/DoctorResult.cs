namespace ProtonPortSync.Doctor;

internal enum DoctorVerdict
{
    Ok,
    Warn,
    Fail,
}

/// <summary>One check's outcome: what was checked, the verdict, what was found, and what to do about it.</summary>
internal sealed record DoctorResult(string Name, DoctorVerdict Verdict, string Detail, string? Fix = null)
{
    public static DoctorResult Ok(string name, string detail) => new(name, DoctorVerdict.Ok, detail);

    public static DoctorResult Warn(string name, string detail, string fix) => new(name, DoctorVerdict.Warn, detail, fix);

    public static DoctorResult Fail(string name, string detail, string fix) => new(name, DoctorVerdict.Fail, detail, fix);
}

/// <summary>One diagnosis. Checks never throw for an expected problem: they return a failing result that names it.</summary>
internal interface IDoctorCheck
{
    Task<DoctorResult> RunAsync(CancellationToken cancellationToken);
}
