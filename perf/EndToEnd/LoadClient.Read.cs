using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>The receive side: frames → (inflate) → HELLO, READY and its GUILD_CREATEs, then checked and timed live events.</summary>
internal sealed partial class LoadClient
{
    private enum Stage
    {
        Hello,
        Ready,
        Guilds,
        Live,
    }

    private Stage _stage = Stage.Hello;
    private int _guildsLeft;

    private async Task ReadLoopAsync()
    {
        var reader = new WebSocketMessageReader(WebSocketRole.Client, 256 * 1024 * 1024, validateUtf8: false);
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        var decoded = new ArrayBufferWriter<byte>(64 * 1024);
        using var decoder = MessageCodecs.CreateDecoder(_compression);
        try
        {
            while (_error is null)
            {
                var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                Volatile.Write(ref _wireBytes, _wireBytes + buffer.Length);
                while (_error is null)
                {
                    var status = reader.TryRead(ref buffer, message);
                    if (status == WebSocketReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == WebSocketReadStatus.Error)
                    {
                        Fail("protocol error: " + WebSocketErrors.Describe(reader.Error));
                    }
                    else if (status == WebSocketReadStatus.Control)
                    {
                        if (reader.ControlOpcode == WebSocketOpcode.Close)
                        {
                            var payload = reader.ControlPayload;
                            var code = payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 0;
                            Fail($"closed by the server with {code} {System.Text.Encoding.UTF8.GetString(payload[Math.Min(2, payload.Length)..])} (this client's last heartbeat was written {SinceLastHeartbeatMs} ms before)");
                        }
                    }
                    else
                    {
                        var payload = message.WrittenSpan;
                        if (reader.MessageOpcode == WebSocketOpcode.Binary && decoder is not null)
                        {
                            decoded.ResetWrittenCount();
                            if (decoder.Decode(payload, decoded) != DecodeStatus.Complete)
                            {
                                Fail("decompression failed: " + decoder.Error);
                                break;
                            }

                            payload = decoded.WrittenSpan;
                        }

                        OnPayload(payload);
                        message.ResetWrittenCount();
                    }
                }

                // Only the unread tail stays buffered: it is counted again on the next read, so subtract it now.
                Volatile.Write(ref _wireBytes, _wireBytes - buffer.Length);
                _input.AdvanceTo(buffer.Start, buffer.End);
                NotifyGates();
                if (result.IsCompleted)
                {
                    Fail("the server closed the connection");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail("connection lost: " + e.Message);
        }
    }

    private void OnPayload(ReadOnlySpan<byte> payload)
    {
        if (_stage == Stage.Live)
        {
            if (payload.StartsWith("{\"t\":\""u8))
            {
                OnLive(payload);
            }
            else if (!IsHeartbeatAck(payload))
            {
                Fail("unexpected payload during the firehose: " + Snippet(payload));
            }

            return;
        }

        OnSetup(payload);
    }

    private void OnLive(ReadOnlySpan<byte> payload)
    {
        if (_lanes is not null)
        {
            OnLiveMerged(payload);
            return;
        }

        var k = _liveReceived;
        long seq;
        if (_expected.HasBytes)
        {
            var index = (int)(k % _expected.Pool.Count);
            var prefix = _expected.Prefixes[index];
            if (!payload.StartsWith(prefix)
                || !Utf8Parser.TryParse(payload[prefix.Length..], out seq, out var digits)
                || !payload[(prefix.Length + digits)..].SequenceEqual(_expected.Suffixes[index]))
            {
                Fail($"live event {k}: payload differs from what the Simulator sent (expected {_expected.Pool[index].Type}): {Snippet(payload)}");
                return;
            }
        }
        else
        {
            // Order only: {"t":"X","s":N,...
            var at = payload.IndexOf("\",\"s\":"u8);
            if (at < 0 || !Utf8Parser.TryParse(payload[(at + 6)..], out seq, out _))
            {
                Fail($"live event {k}: no sequence where the proxy writes it: {Snippet(payload)}");
                return;
            }
        }

        if (seq != _lastSeq + 1)
        {
            Fail($"live event {k}: s = {seq} after {_lastSeq} (lost, duplicated or misordered)");
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (k >= MeasureFrom && k < _expected.SendStamps.Length)
        {
            Latency.Record((now - _expected.SendStamps[k]) * 1_000_000 / Stopwatch.Frequency);
        }

        Volatile.Write(ref _lastSeq, seq);
        Volatile.Write(ref _lastLiveStamp, now);
        Volatile.Write(ref _liveReceived, k + 1);
    }

    private void OnSetup(ReadOnlySpan<byte> payload)
    {
        // Cold path (once per connection and guild): parse for real.
        using var document = JsonDocument.Parse(payload.ToArray());
        var root = document.RootElement;
        var op = root.GetProperty("op").GetInt32();
        if (op == 11)
        {
            return;
        }

        if (_stage == Stage.Hello)
        {
            if (op != 10)
            {
                Fail("expected HELLO, got " + Snippet(payload));
                return;
            }

            _stage = Stage.Ready;
            // Read now: the document is disposed when this method returns, maybe before the task runs.
            var interval = root.GetProperty("d").GetProperty("heartbeat_interval").GetInt32();
            _heartbeats = Task.Run(() => HeartbeatLoopAsync(interval));
            _ = IdentifyAsync().ContinueWith(t => Fail("IDENTIFY failed: " + t.Exception?.GetBaseException().Message),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return;
        }

        var type = op == 0 ? root.GetProperty("t").GetString() : null;
        var seq = op == 0 ? root.GetProperty("s").GetInt64() : 0;
        if (op != 0 || seq != _lastSeq + 1)
        {
            Fail($"during setup: op {op}, s {seq} after {_lastSeq}: {Snippet(payload)}");
            return;
        }

        Volatile.Write(ref _lastSeq, seq);
        if (_stage == Stage.Ready)
        {
            if (type != "READY")
            {
                Fail("expected READY, got " + type);
                return;
            }

            _guildsLeft = root.GetProperty("d").GetProperty("guilds").GetArrayLength();
            if (_expectedGuilds >= 0 && _guildsLeft != _expectedGuilds)
            {
                Fail($"READY lists {_guildsLeft} guilds, the shard has {_expectedGuilds}");
                return;
            }
            _stage = _guildsLeft == 0 ? Stage.Live : Stage.Guilds;
        }
        else if (type == "GUILD_CREATE" && --_guildsLeft == 0)
        {
            _stage = Stage.Live;
        }

        if (_stage == Stage.Live)
        {
            _snapshot.TrySetResult();
        }
    }

    private static bool IsHeartbeatAck(ReadOnlySpan<byte> payload) =>
        payload.IndexOf("\"op\":11"u8) >= 0 && payload.Length < 64;

    private static string Snippet(ReadOnlySpan<byte> payload) =>
        System.Text.Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 160)]);
}
