using System.Globalization;

namespace ProtonPortSync.Tests.Fuzz;

/// <summary>
/// How many cases a property test runs: a small budget in the normal test command, a large one from
/// <c>scripts/fuzz.sh</c> (PPS_FUZZ_ADAPTER_ITER), with PPS_FUZZ_SEED to replay a failure CsCheck reported.
/// </summary>
internal static class Budget
{
    public static long Iterations(long normal)
        => long.TryParse(Environment.GetEnvironmentVariable("PPS_FUZZ_ADAPTER_ITER"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : normal;

    public static string? Seed => Environment.GetEnvironmentVariable("PPS_FUZZ_SEED") is { Length: > 0 } s ? s : null;
}
