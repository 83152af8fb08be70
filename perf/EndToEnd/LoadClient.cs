using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// One bot connection of the load: raw socket, the project's WebSocket reader and codecs, IDENTIFY for a shard, heartbeats,
/// then a read loop that checks every dispatch (order, <c>s</c> +1, bytes equal to what the Simulator sent) and timestamps it.
/// </summary>
internal sealed partial class LoadClient : IAsyncDisposable
{
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(60);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ExpectedStream _expected;
    private readonly FlowGate _gate;
    private readonly TransportCompression _compression;
    private readonly string _token;
    private readonly int _shardCount;
    private readonly long _intents;
    private readonly int _expectedGuilds;
    private Task _readLoop = Task.CompletedTask;
    private Task _heartbeats = Task.CompletedTask;
    private long _liveReceived;
    private long _wireBytes;
    private long _lastSeq;
    private long _lastLiveStamp;
    private long _lastHeartbeatSentMs;
    private volatile string? _error;

    private LoadClient(Socket socket, ExpectedStream expected, FlowGate gate, TransportCompression compression, string token, int shardCount, long intents, int expectedGuilds,
        ExpectedStream[]? lanes, FlowGate[]? laneGates)
    {
        _lanes = lanes;
        _laneGates = laneGates;
        _laneReceived = lanes is null ? null : new long[lanes.Length];
        _expectedGuilds = expectedGuilds;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        _expected = expected;
        _gate = gate;
        _compression = compression;
        _token = token;
        _shardCount = shardCount;
        _intents = intents;
    }

    /// <summary>The shard this client identified for.</summary>
    public int Shard => _expected.Shard;

    /// <summary>Milliseconds since this client last wrote a heartbeat (-1 before the first).</summary>
    public long SinceLastHeartbeatMs => Volatile.Read(ref _lastHeartbeatSentMs) is var at && at == 0 ? -1 : Environment.TickCount64 - at;

    /// <summary>Live events received and verified so far.</summary>
    public long LiveReceived => Volatile.Read(ref _liveReceived);

    /// <summary>Bytes read from the socket so far (after the handshake; compressed when compression is on).</summary>
    public long WireBytes => Volatile.Read(ref _wireBytes);

    /// <summary>Stopwatch timestamp of the last live event received.</summary>
    public long LastLiveStamp => Volatile.Read(ref _lastLiveStamp);

    /// <summary>The first thing that went wrong (a verification failure, a close, a protocol error), or null.</summary>
    public string? Error => _error;

    /// <summary>Completes when READY and every GUILD_CREATE it announced have been received.</summary>
    public Task Snapshot => _snapshot.Task;

    /// <summary>Latencies of live events from index <see cref="MeasureFrom"/> on.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Live events before this index are warm-up: checked, not timed.</summary>
    public long MeasureFrom { get; set; } = long.MaxValue;

    /// <summary>Connects to <paramref name="url"/>, completes the WebSocket handshake, and starts reading; IDENTIFY follows HELLO.</summary>
    /// <param name="expectedGuilds">READY must list this many guilds (and as many GUILD_CREATEs follow); negative: any number.</param>
    /// <param name="lanes">For a merged client (shard [0, 1] over several upstream shards): every upstream shard's stream,
    /// each checked in its own order; null: <paramref name="expected"/> only.</param>
    /// <param name="laneGates">The gates of <paramref name="lanes"/>, woken as this client progresses.</param>
    public static async Task<LoadClient> ConnectAsync(Uri url, ExpectedStream expected, FlowGate gate, TransportCompression compression,
        string token, int shardCount, long intents, int expectedGuilds = -1, ExpectedStream[]? lanes = null, FlowGate[]? laneGates = null)
    {
        using var timeout = new CancellationTokenSource(ConnectLimit);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        LoadClient? client = null;
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, timeout.Token).ConfigureAwait(false);
            client = new LoadClient(socket, expected, gate, compression, token, shardCount, intents, expectedGuilds, lanes, laneGates);
            var query = "/?v=10&encoding=json" + (compression == TransportCompression.None ? "" : "&compress=" + TransportCompressions.ToQueryValue(compression));
            await client.HandshakeAsync(string.Create(CultureInfo.InvariantCulture, $"{url.Host}:{url.Port}"), query, timeout.Token).ConfigureAwait(false);
            client._readLoop = Task.Run(client.ReadLoopAsync);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    /// <summary>Stops reading and drops the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Close();
        await Task.WhenAny(Task.WhenAll(_readLoop, _heartbeats), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private void Fail(string error)
    {
        _error ??= string.Create(CultureInfo.InvariantCulture, $"shard {_expected.Shard}: {error}");
        _snapshot.TrySetException(new InvalidOperationException(_error));
        NotifyGates();
    }

    private async Task HandshakeAsync(string host, string pathAndQuery, CancellationToken ct)
    {
        var request = WebSocketHandshake.BuildClientRequest(host, pathAndQuery, out var key);
        await _stream.WriteAsync(request, ct).ConfigureAwait(false);
        while (true)
        {
            var result = await _input.ReadAsync(ct).ConfigureAwait(false);
            var status = WebSocketHandshake.TryParseClientResponse(result.Buffer, key, out var consumed, out var code, out var error);
            if (status == HttpParseStatus.Complete)
            {
                _input.AdvanceTo(consumed);
                return;
            }

            if (status == HttpParseStatus.Invalid || result.IsCompleted)
            {
                throw new InvalidOperationException($"WebSocket handshake refused ({code}): {error}");
            }

            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task SendTextAsync(string json)
    {
        var frame = new ArrayBufferWriter<byte>(json.Length + 16);
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, Encoding.UTF8.GetBytes(json), fin: true,
            (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue));
        await _sendLock.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame.WrittenMemory, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private Task IdentifyAsync() => SendTextAsync(string.Create(CultureInfo.InvariantCulture,
        $"{{\"op\":2,\"d\":{{\"token\":\"{_token}\",\"properties\":{{\"os\":\"linux\",\"browser\":\"perf\",\"device\":\"perf\"}},\"shard\":[{_expected.Shard},{_shardCount}],\"intents\":{_intents},\"large_threshold\":250}}}}"));

    private async Task HeartbeatLoopAsync(int intervalMs)
    {
        // A quarter of the interval: on an overloaded box a late heartbeat must still arrive in time.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(100, intervalMs / 4)));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await SendTextAsync(string.Create(CultureInfo.InvariantCulture, $"{{\"op\":1,\"d\":{Volatile.Read(ref _lastSeq)}}}")).ConfigureAwait(false);
                Volatile.Write(ref _lastHeartbeatSentMs, Environment.TickCount64);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Connection over.
        }
        catch (Exception e)
        {
            Fail("heartbeat loop failed: " + e.Message);
        }
    }
}
