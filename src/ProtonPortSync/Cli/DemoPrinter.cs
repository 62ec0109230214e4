using ProtonPortSync.Sync;

namespace ProtonPortSync.Cli;

/// <summary>
/// Prints each event of the demo as a person would want to read it. Tells a repaired drift (the client moved away
/// from a port it already held, e.g. a hand-edited port file) apart from passing on a new port.
/// </summary>
internal sealed class DemoPrinter(TextWriter stdout, TimeProvider time, string target) : ISyncObserver
{
    private int? _mapped;
    private int? _lastRead;
    private int? _held;

    public int Changes { get; private set; }

    public void PortChanged(int? previousPort, int port)
    {
        Changes++;
        _mapped = port;
        Say(previousPort is null ? $"the gateway forwards port {port}" : $"the gateway moved the forwarded port from {previousPort} to {port}");
    }

    public void ClientPortRead(int port)
    {
        _lastRead = port;
        if (port == _mapped)
        {
            _held = port;
        }
    }

    public void ClientUpdated(ClientUpdateOutcome outcome)
    {
        var drifted = _held is not null && _held == _mapped && _lastRead != _mapped;
        Say(outcome switch
        {
            ClientUpdateOutcome.Success when drifted && _lastRead is > 0 => $"{target} said {_lastRead}; set back to {_mapped}",
            ClientUpdateOutcome.Success when drifted => $"{target} held no port; set back to {_mapped}",
            ClientUpdateOutcome.Success => $"{target} set to {_mapped} and read back",
            ClientUpdateOutcome.ReadBackMismatch => $"{target} did not keep port {_mapped} when read back; retrying with backoff",
            _ => $"{target} could not be updated; retrying with backoff (the log line above says why)",
        });
    }

    public void GatewayReset() => Say("the gateway lost its mappings (epoch reset); mapped again");

    public void RecoveryRan(bool succeeded) => Say("the gateway stopped answering; restarted it");

    private void Say(string text) => stdout.WriteLine($"{time.GetLocalNow():HH:mm:ss}  {text}");
}
