using System.Text;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Host;

/// <summary>The two kinds of client the memory pressure test runs: flood clients that stall, and readers that keep up.</summary>
public sealed partial class MemoryPressureTests
{
    /// <summary>A flood client: reads nothing until told to, then everything, until the proxy's close frame or the last event.</summary>
    /// <remarks>Once reading, it only collects the raw text (the proxy drops a closing client whose close frame is not read
    /// within its close timeout, so the read loop must be quick); messages are parsed when the stream's end is judged.</remarks>
    private sealed class FloodClient(StalledClient client) : IDisposable
    {
        private readonly List<string> _texts = [];
        private readonly List<GatewayMessage> _parsed = [];
        private readonly TaskCompletionSource<(ushort Code, string Reason)?> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string[]? _expected;
        private int _start = -1;
        private int _reading;

        public void StartReading()
        {
            if (Interlocked.Exchange(ref _reading, 1) != 0) return;
            client.StopStalling();
            _ = Task.Run(ReadAsync);
        }

        /// <summary>The simulator has stopped: a client kept to the end ends its stream with the last of <paramref name="all"/>
        /// (the simulator's dispatches, <see cref="Normalized(string)"/>).</summary>
        public void SetExpected(string[] all)
        {
            lock (_texts)
            {
                _expected = all;
                if (HasAllLocked()) _end.TrySetResult(null);
            }
        }

        /// <summary>Waits until the client read its close frame (returned) or every event (null).</summary>
        public async Task<(List<GatewayMessage> Messages, (ushort Code, string Reason)? Close)> WaitEndAsync()
        {
            (ushort Code, string Reason)? close = await _end.Task.WaitAsync(Limit);
            lock (_texts)
            {
                ParseLocked();
                return ([.. _parsed], close);
            }
        }

        public void Dispose() => client.Dispose();

        private void ParseLocked()
        {
            for (int i = _parsed.Count; i < _texts.Count; i++) _parsed.Add(new GatewayMessage(Encoding.UTF8.GetBytes(_texts[i]), binaryFrame: false));
        }

        /// <summary>True when a kept client has every live event from its start to the simulator's last (its start found once).</summary>
        private bool HasAllLocked()
        {
            if (_expected is not { } all) return false;
            ParseLocked();
            List<GatewayMessage> live = LiveOf(_parsed);
            if (_start < 0 && live.Count >= Math.Min(16, all.Length)) _start = StartOf(live, all);
            return _start >= 0 && live.Count >= all.Length - _start;
        }

        private async Task ReadAsync()
        {
            try
            {
                while (!_end.Task.IsCompleted && await client.ReadMessageAsync(Limit) is { } text)
                {
                    lock (_texts)
                    {
                        _texts.Add(text);
                        if (_expected is not null && HasAllLocked()) _end.TrySetResult(null);
                    }
                }

                if (client.Close is { } close) _end.TrySetResult(close);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // Ended without a close frame: not told why (the test fails on it), unless the stream was already complete.
                string got;
                lock (_texts)
                {
                    ParseLocked();
                    got = $"{_parsed.Count} messages, READY {(_parsed.Any(m => m.Type == "READY") ? "seen" : "not seen")}, last {(_parsed.Count == 0 ? "none" : _parsed[^1].Type ?? "op " + _parsed[^1].Op)}";
                }

                _end.TrySetException(new IOException($"a flood client's connection ended without a close frame after {got}", e));
            }
        }
    }

    /// <summary>A client that keeps up: reads in the background from the start, heartbeating, so the proxy never has a backlog for it.</summary>
    private sealed class Reader : IAsyncDisposable
    {
        private readonly List<GatewayMessage> _dispatches = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Reader(ProxyClient client)
        {
            Client = client;
            _loop = Task.Run(ReadAsync);
        }

        public ProxyClient Client { get; }

        /// <summary>Waits until <paramref name="count"/> live dispatches were read and returns them.</summary>
        public async Task<List<GatewayMessage>> DrainAsync(int count)
        {
            await Poll.UntilAsync(() => Count >= count || _loop.IsCompleted, Limit, () => $"a reader to get {count} events (has {Count})");
            await _stop.CancelAsync();
            await _loop;
            lock (_dispatches) return [.. _dispatches];
        }

        private int Count
        {
            get
            {
                lock (_dispatches) return _dispatches.Count;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await Client.DisposeAsync();
            _stop.Dispose();
        }

        private async Task ReadAsync()
        {
            long nextBeat = Environment.TickCount64 + 10_000;
            while (!_stop.IsCancellationRequested)
            {
                if (Environment.TickCount64 >= nextBeat)
                {
                    await Client.Client.HeartbeatAsync();
                    nextBeat = Environment.TickCount64 + 10_000;
                }

                GatewayMessage message;
                try
                {
                    message = await Client.Client.ReceiveAsync(TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    continue;
                }

                if (message.Op == 0)
                {
                    lock (_dispatches) _dispatches.Add(message);
                }
            }
        }
    }
}
