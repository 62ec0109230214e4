using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Sinks;

namespace ProtonPortSync.Tests.Sinks;

public sealed class SinkWorkerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedSink _sink = new();
    private readonly RecordingSinkObserver _observer = new();
    private readonly SinkWorker _worker;

    public SinkWorkerTests()
        => _worker = new SinkWorker(_sink, new SinkSettings(TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1)), _observer, _time, NullLogger.Instance);

    public ValueTask DisposeAsync() => _worker.DisposeAsync();

    [Fact]
    public async Task Step_NothingOffered_NothingApplied()
    {
        await _worker.StepAsync(default);

        Assert.Empty(_sink.Calls);
        Assert.Equal(SinkStatus.Idle, _worker.Status.State);
    }

    [Fact]
    public async Task Step_PortOffered_AppliedWithAddressAndNoPreviousPort()
    {
        _worker.Offer(new PortUpdate(40000, IPAddress.Parse("203.0.113.7")));

        await _worker.StepAsync(default);

        Assert.Equal(["40000 203.0.113.7 prev="], _sink.Calls);
        Assert.Equal(SinkStatus.InSync, _worker.Status.State);
        Assert.Equal([("hook:1", 40000, true)], _observer.Events);
    }

    [Fact]
    public async Task Step_PortChanges_PreviousIsTheLastPortItTook()
    {
        _worker.Offer(new PortUpdate(40000, null));
        await _worker.StepAsync(default);
        _worker.Offer(new PortUpdate(40001, null));

        await _worker.StepAsync(default);

        Assert.Equal("40001  prev=40000", _sink.Calls[^1]);
    }

    [Fact]
    public async Task Step_Fails_CountedReportedAndRetriedAfterTheBackoffOnly()
    {
        _sink.FailNext = 1;
        _worker.Offer(new PortUpdate(40000, null));

        await _worker.StepAsync(default);
        await _worker.StepAsync(default);

        Assert.Single(_sink.Calls);
        Assert.Equal(SinkStatus.Failing, _worker.Status.State);
        Assert.Equal("exit status 1", _worker.Status.LastError);
        Assert.Equal([("hook:1", 40000, false)], _observer.Events);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _worker.StepAsync(default);

        Assert.Equal(2, _sink.Calls.Count);
        Assert.Equal(SinkStatus.InSync, _worker.Status.State);
    }

    [Fact]
    public async Task Step_Hangs_CancelledAtItsTimeoutAndCountedAsFailure()
    {
        _sink.Hang = true;
        _worker.Offer(new PortUpdate(40000, null));

        var step = _worker.StepAsync(default);
        await _sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(_sink.Timeout);
        await step.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SinkStatus.Failing, _worker.Status.State);
        Assert.Contains("within 5 s", _worker.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_SameValueAgain_NoSecondRunForAHook()
    {
        _worker.Offer(new PortUpdate(40000, null));
        await _worker.StepAsync(default);
        _worker.Offer(new PortUpdate(40000, null));
        _time.Advance(TimeSpan.FromHours(1));

        await _worker.StepAsync(default);

        Assert.Single(_sink.Calls);
    }

    [Fact]
    public async Task Start_OffersWhileRunning_LatestPortWins()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sink.Gate = gate;
        _worker.Start();
        _worker.Offer(new PortUpdate(40000, null));
        await _sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // While the first run is busy, two more ports come; only the last is applied next.
        _worker.Offer(new PortUpdate(40001, null));
        _worker.Offer(new PortUpdate(40002, null));
        gate.SetResult();
        await _sink.SecondCall.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["40000  prev=", "40002  prev=40000"], _sink.Calls);
    }

    private sealed class ScriptedSink : IPortSink
    {
        public List<string> Calls { get; } = [];

        public int FailNext { get; set; }

        public bool Hang { get; set; }

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SecondCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "hook:1";

        public string Kind => "hook";

        public bool Recheck => false;

        public TimeSpan Timeout => TimeSpan.FromSeconds(5);

        public async Task ApplyAsync(PortUpdate update, int? previousPort, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add($"{update.Port} {update.PublicAddress} prev={previousPort}");
                if (Calls.Count == 2)
                {
                    SecondCall.TrySetResult();
                }
            }

            Started.TrySetResult();
            if (Hang)
            {
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            }

            if (Gate is { } gate)
            {
                Gate = null;
                await gate.Task;
            }

            if (FailNext > 0)
            {
                FailNext--;
                throw new SinkException("exit status 1");
            }
        }
    }

    private sealed class RecordingSinkObserver : ISinkObserver
    {
        public List<(string Sink, int Port, bool Succeeded)> Events { get; } = [];

        public void SinkApplied(string sink, int port, bool succeeded) => Events.Add((sink, port, succeeded));
    }
}
