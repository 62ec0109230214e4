using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Recovery;

namespace ProtonPortSync.Tests.Fakes;

internal sealed class FakeRecoveryAction(FakeTimeProvider time) : IRecoveryAction
{
    public string Description => "fake restart";

    public List<DateTimeOffset> Runs { get; } = [];

    public bool Fail { get; set; }

    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        Runs.Add(time.GetUtcNow());
        return Fail ? throw new RecoveryException("fake recovery refused") : Task.CompletedTask;
    }
}
