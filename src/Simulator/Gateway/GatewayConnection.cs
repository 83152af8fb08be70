using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Simulator.Sessions;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>
/// One upgraded gateway connection: HELLO, the client's commands, the outbound queue and its writer, the heartbeat
/// watchdog, and the faults tests inject. Split by concern: reading, writing, commands.
/// </summary>
internal sealed partial class GatewayConnection
{
    private readonly DiscordSimulator _simulator;
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IMessageEncoder? _encoder;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _unstalled = NewSignal(completed: true);
    private volatile bool _stalled;
    private long _lastHeartbeatTicks = Environment.TickCount64;
    private const int ClosePending = 2;
    private int _closing; // 0 open, ClosePending (a close frame is about to be written), 1 closed or dropped
    private bool _finished;
    private int _aborted;

    /// <summary>Wraps an upgraded connection; <paramref name="compression"/> is the transport compression from the URL.</summary>
    public GatewayConnection(DiscordSimulator simulator, int id, Socket socket, PipeReader input, PipeWriter output, TransportCompression compression, string? versionProblem)
    {
        _simulator = simulator;
        Id = id;
        _socket = socket;
        _input = input;
        _output = output;
        Compression = compression;
        _encoder = MessageCodecs.CreateEncoder(compression);
        _versionProblem = versionProblem;
    }

    private readonly string? _versionProblem;

    /// <summary>Connection number (1, 2, …) in accept order.</summary>
    public int Id { get; }

    /// <summary>Transport compression negotiated in the URL.</summary>
    public TransportCompression Compression { get; }

    /// <summary>The session this connection carries, once identified or resumed (read under the shard's lock).</summary>
    public GatewaySession? Session { get; set; }

    /// <summary>The shard, once known (-1 before IDENTIFY/RESUME).</summary>
    public int Shard { get; set; } = -1;

    /// <summary>True once a close frame was sent or the socket was dropped: nothing more goes out.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0 || Volatile.Read(ref _aborted) != 0;

    /// <summary>The close code the peer sent, if it closed first.</summary>
    public int? PeerCloseCode { get; private set; }

    /// <summary>True when the peer sent its close frame before we sent one.</summary>
    public bool ClosedByPeer { get; private set; }

    /// <summary>The close code we sent, if we closed.</summary>
    public int? ServerCloseCode { get; private set; }

    /// <summary>Runs the connection to its end: HELLO, then reading commands until either side closes.</summary>
    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        var watchdog = Task.Run(HeartbeatWatchdogAsync);
        try
        {
            var hello = new ArrayBufferWriter<byte>(64);
            GatewayPayloads.WriteHello(hello, _simulator.Options.HeartbeatIntervalMs);
            EnqueuePayload(hello.WrittenSpan.ToArray());
            if (_versionProblem is not null)
            {
                await CloseAsync((ushort)GatewayCloseCode.InvalidApiVersion, _versionProblem).ConfigureAwait(false);
            }

            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away; the session (if any) waits for a resume.
        }
        finally
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _outbound.Writer.TryComplete();
            await Task.WhenAny(Task.WhenAll(writer, watchdog), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            Interlocked.Exchange(ref _closing, 1);
            Abort();

            // The encoder holds native memory: free it only when no writer (loop or close) can be inside it.
            if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                _finished = true;
                _encoder?.Dispose();
                _writeLock.Release();
            }

            _simulator.OnConnectionEnded(this);
        }
    }

    /// <summary>Sends a close frame with <paramref name="code"/> (after anything already written) and ends the connection once the peer answers or after 2 s.</summary>
    public async Task CloseAsync(ushort code, string reason)
    {
        // ClosePending until the close frame is written: the write loop may still send what it already dequeued (HELLO
        // before a 4012), as this method sends what is still queued; after the frame nothing goes out.
        if (Interlocked.CompareExchange(ref _closing, ClosePending, 0) != 0)
        {
            return;
        }

        ServerCloseCode = code;
        _simulator.Log($"connection {Id} (shard {Shard}): closing with {code} {reason}");
        if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            try
            {
                if (_finished)
                {
                    return;
                }

                // What was queued before the close goes out first (HELLO before a 4012, op 9 before a close...), unless stalled.
                while (!_stalled && _outbound.Reader.TryRead(out var item))
                {
                    WriteOne(item);
                }

                WebSocketFrameWriter.WriteClose(_output, code, reason);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                Volatile.Write(ref _closing, 1);
                _writeLock.Release();
            }
        }

        Volatile.Write(ref _closing, 1);
        _closeSent.TrySetResult();
        if (PeerCloseCode is not null)
        {
            // This was the answer to the peer's close: the handshake is complete, end the TCP connection.
            Abort();
            return;
        }

        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => Abort(), TaskScheduler.Default);
    }

    /// <summary>Drops the TCP connection without a close frame; with <paramref name="midFrame"/> after part of a frame:
    /// its first <paramref name="cutAt"/> bytes (clamped to 1..length-1; negative: the header and half the payload).</summary>
    public async Task DropAsync(bool midFrame, int cutAt = -1)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _simulator.Log($"connection {Id} (shard {Shard}): dropping TCP{(midFrame ? " mid-frame" : "")}");
        if (midFrame && await _writeLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
        {
            try
            {
                // The head of a 37-byte HEARTBEAT_ACK text frame and part of its payload, then nothing.
                if (_finished)
                {
                    return;
                }

                var ack = "{\"t\":null,\"s\":null,\"op\":11,\"d\":null}"u8;
                var frame = new ArrayBufferWriter<byte>(64);
                WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, ack);
                var length = cutAt < 0 ? frame.WrittenCount - (ack.Length / 2) - 1 : Math.Clamp(cutAt, 1, frame.WrittenCount - 1);
                _output.Write(frame.WrittenSpan[..length]);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                _writeLock.Release();
            }
        }

        Abort();
    }

    /// <summary>Stops (or resumes) answering heartbeats and sending anything.</summary>
    public void SetStalled(bool stalled)
    {
        if (stalled == _stalled)
        {
            return;
        }

        if (stalled)
        {
            _unstalled = NewSignal(completed: false);
            _stalled = true;
        }
        else
        {
            _stalled = false;
            Interlocked.Exchange(ref _lastHeartbeatTicks, Environment.TickCount64);
            _unstalled.TrySetResult();
        }
    }

    /// <summary>Closes the socket at once (no close frame).</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Close();
        _stop.Cancel();
    }

    private async Task HeartbeatWatchdogAsync()
    {
        var timeout = (long)(_simulator.Options.HeartbeatIntervalMs * _simulator.Options.HeartbeatTimeoutFactor);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var wait = Interlocked.Read(ref _lastHeartbeatTicks) + timeout - Environment.TickCount64;
                if (wait <= 0)
                {
                    if (_stalled)
                    {
                        // A stalled server does not judge its clients.
                        Interlocked.Exchange(ref _lastHeartbeatTicks, Environment.TickCount64);
                        continue;
                    }

                    await CloseAsync((ushort)GatewayCloseCode.SessionTimedOut, "Session timed out.").ConfigureAwait(false);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait + 1, 60_000)), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Connection over.
        }
    }

    private static TaskCompletionSource NewSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
