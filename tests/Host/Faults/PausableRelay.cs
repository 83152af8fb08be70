using System.Net;
using System.Net.Sockets;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>A one-connection TCP relay on 127.0.0.1 in front of the proxy whose proxy-to-client direction can be paused:
/// a client behind it looks to the proxy exactly like a bot that stopped reading its socket.</summary>
internal sealed class PausableRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private int _disposed;

    private PausableRelay(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _resumed.SetResult();
    }

    /// <summary>ws:// URL of the relay (clients connect here instead of to the proxy).</summary>
    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}");

    /// <summary>Starts relaying the first connection accepted to <paramref name="target"/>.</summary>
    public static PausableRelay Start(IPEndPoint target)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var relay = new PausableRelay(listener, target);
        relay._run = Task.Run(relay.RunAsync);
        return relay;
    }

    /// <summary>Stops (true) or restarts (false) reading what the proxy sends.</summary>
    public void SetPaused(bool paused)
    {
        lock (_gate)
        {
            if (paused && _resumed.Task.IsCompleted) _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            else if (!paused) _resumed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        SetPaused(false);
        await _stop.CancelAsync();
        _listener.Dispose();
        await Task.WhenAny(_run, Task.Delay(TimeSpan.FromSeconds(10)));
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken ct = _stop.Token;
        try
        {
            using Socket client = await _listener.AcceptAsync(ct);
            // A small receive buffer toward the proxy, so a pause backs the proxy up soon instead of after megabytes.
            using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
            await upstream.ConnectAsync(_target, ct);
            Task up = PumpAsync(client, upstream, pausable: false, ct);
            Task down = PumpAsync(upstream, client, pausable: true, ct);
            await Task.WhenAny(up, down);
            client.Close();
            upstream.Close();
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or one side went away.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool pausable, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                if (pausable)
                {
                    Task resumed;
                    lock (_gate) resumed = _resumed.Task;
                    await resumed.WaitAsync(ct);
                }

                int read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The relay ends with either side.
        }
    }
}
