using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.Fakes;

/// <summary>A torrent client in memory: a port, scripted failures, and a log of what was asked.</summary>
internal sealed class FakeTorrentClient : ITorrentClient
{
    public string Name => "fake";

    public int ListenPort { get; set; } = 6881;

    /// <summary>Failures to throw, one per call, before calls succeed again.</summary>
    public Queue<TorrentClientException> Failures { get; } = new();

    public List<string> Calls { get; } = [];

    /// <summary>When set, reads never complete (until cancelled): a hung client, a stuck loop.</summary>
    public bool Hang { get; set; }

    public async Task<int> GetListenPortAsync(CancellationToken cancellationToken)
    {
        Calls.Add("get");
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        ThrowIfScripted();
        return ListenPort;
    }

    public Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        Calls.Add($"set {port}");
        ThrowIfScripted();
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1024);
        ListenPort = port;
        return Task.CompletedTask;
    }

    public Task RebindAsync(int port, CancellationToken cancellationToken)
    {
        Calls.Add($"rebind {port}");
        ThrowIfScripted();
        ListenPort = port;
        return Task.CompletedTask;
    }

    private void ThrowIfScripted()
    {
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}
