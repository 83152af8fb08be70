using System.Buffers;
using System.Net.Sockets;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>The outbound side: a queue drained by one writer that compresses and frames each payload.</summary>
internal sealed partial class GatewayConnection
{
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private volatile bool _payloadCompression;

    /// <summary>Queues a gateway payload (JSON) to send after everything queued before it.</summary>
    public void EnqueuePayload(byte[] payload) => _outbound.Writer.TryWrite(new Outbound(payload, _payloadCompression, IsPong: false));

    /// <summary>Queues op 7 RECONNECT.</summary>
    public void EnqueueReconnect() => EnqueueBuilt(GatewayPayloads.WriteReconnect);

    /// <summary>Queues op 9 INVALID_SESSION.</summary>
    public void EnqueueInvalidSession(bool resumable)
    {
        var buffer = new ArrayBufferWriter<byte>(48);
        GatewayPayloads.WriteInvalidSession(buffer, resumable);
        EnqueuePayload(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Queues op 1 from the server ("heartbeat now").</summary>
    public void EnqueueHeartbeatRequest() => EnqueueBuilt(GatewayPayloads.WriteHeartbeatRequest);

    private void EnqueueBuilt(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>(48);
        write(buffer);
        EnqueuePayload(buffer.WrittenSpan.ToArray());
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_stalled)
                {
                    await _unstalled.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                    continue;
                }

                if (IsClosing && !_closeSent.Task.IsCompleted)
                {
                    // A close is on its way: CloseAsync writes what is queued (HELLO before a 4012...), then the close frame.
                    await _closeSent.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                    continue;
                }

                await _writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    if (_finished)
                    {
                        return;
                    }

                    var written = 0;
                    if (IsClosing && _closeSent.Task.IsCompleted)
                    {
                        // After a close frame nothing else may go out.
                        while (reader.TryRead(out _))
                        {
                        }
                    }

                    // Taken only while no close is pending: an item read here is written, never dropped before the close frame.
                    while (written < 256 && !_stalled && !IsClosing && reader.TryRead(out var item))
                    {
                        WriteOne(item);
                        written++;
                    }

                    if (written > 0 && !IsClosing)
                    {
                        await _output.FlushAsync(_stop.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Connection over.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Abort();
        }
    }

    private void WriteOne(in Outbound item)
    {
        if (item.IsPong)
        {
            WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Pong, item.Payload);
            return;
        }

        if (_encoder is not null)
        {
            _scratch.ResetWrittenCount();
            _encoder.Encode(item.Payload, _scratch);
            WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Binary, _scratch.WrittenSpan);
        }
        else if (item.Compressible && item.Payload.Length >= _simulator.Options.PayloadCompressionThreshold)
        {
            _scratch.ResetWrittenCount();
            ZlibPayload.Compress(item.Payload, _scratch);
            WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Binary, _scratch.WrittenSpan);
        }
        else
        {
            WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Text, item.Payload);
        }
    }

    private readonly record struct Outbound(byte[] Payload, bool Compressible, bool IsPong);
}
