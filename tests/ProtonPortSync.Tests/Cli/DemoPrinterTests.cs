using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Cli;
using ProtonPortSync.Sync;

namespace ProtonPortSync.Tests.Cli;

/// <summary>The demo's running commentary: a new port and a repaired drift are told apart, in words, without internal names.</summary>
public sealed class DemoPrinterTests : IDisposable
{
    private const string Target = "the port file /tmp/p";
    private readonly StringWriter _out = new();
    private readonly DemoPrinter _printer;

    public DemoPrinterTests() => _printer = new DemoPrinter(_out, new FakeTimeProvider(), Target);

    public void Dispose() => _out.Dispose();

    private string LastLine => _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

    /// <summary>The loop's order of events for one write: read, update, read back.</summary>
    private void Write(int read, int mapped)
    {
        _printer.ClientPortRead(read);
        _printer.ClientUpdated(ClientUpdateOutcome.Success);
        _printer.ClientPortRead(mapped);
    }

    [Fact]
    public void ClientUpdated_FirstPort_SetAndReadBack()
    {
        _printer.PortChanged(null, 40100);
        Write(0, 40100);

        Assert.EndsWith($"{Target} set to 40100 and read back", LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientUpdated_HandEditedAfterSync_SaysWhatItHeldAndSetsItBack()
    {
        _printer.PortChanged(null, 40100);
        Write(0, 40100);

        Write(12345, 40100);

        Assert.EndsWith($"{Target} said 12345; set back to 40100", LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientUpdated_GarbageAfterSync_SaysItHeldNoPort()
    {
        _printer.PortChanged(null, 40100);
        Write(0, 40100);

        Write(0, 40100);

        Assert.EndsWith($"{Target} held no port; set back to 40100", LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientUpdated_GatewayMovedThePort_NotCalledADrift()
    {
        _printer.PortChanged(null, 40100);
        Write(0, 40100);
        _printer.PortChanged(40100, 40200);

        Write(40100, 40200);

        Assert.EndsWith($"{Target} set to 40200 and read back", LastLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "could not be updated")]
    [InlineData(true, "did not keep port 40100 when read back")]
    public void ClientUpdated_Failed_SaysWhatHappenedWithoutInternalNames(bool readBack, string words)
    {
        var outcome = readBack ? ClientUpdateOutcome.ReadBackMismatch : ClientUpdateOutcome.Failure;
        _printer.PortChanged(null, 40100);
        _printer.ClientPortRead(0);

        _printer.ClientUpdated(outcome);

        Assert.Contains(words, LastLine, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.ToString(), LastLine, StringComparison.Ordinal);
    }
}
