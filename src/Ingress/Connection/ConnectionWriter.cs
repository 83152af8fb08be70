using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Ingress.Connection;

/// <summary>
/// The single writer of one upstream connection: heartbeats, IDENTIFY/RESUME, client commands and the close frame are
/// queued from any thread and written (masked, as a client must) and flushed in order by one task.
/// </summary>
/// <remarks>Sends are rare (a heartbeat per ~41 s, commands within 120/min), so a queued copy per payload is fine here;
/// the hot path of the proxy is the receive side.</remarks>
internal sealed class ConnectionWriter
{
    private readonly Channel<OutgoingFrame> _queue = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly UpstreamOutput _transport;
    private readonly PipeWriter _output;
    private int _closeQueued;

    public ConnectionWriter(UpstreamOutput transport)
    {
        _transport = transport;
        _output = transport.Writer;
    }

    /// <summary>True once a close frame was queued: nothing more is accepted.</summary>
    public bool IsClosing => Volatile.Read(ref _closeQueued) != 0;

    /// <summary>Bytes of frames written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Queues a text message; false once the connection is closing.</summary>
    public bool TrySendText(ReadOnlySpan<byte> payload) => !IsClosing && _queue.Writer.TryWrite(new OutgoingFrame(WebSocketOpcode.Text, payload.ToArray()));

    /// <summary>Queues a text message and completes once the transport has taken it, i.e. it left through the socket
    /// (false when the connection closed first).</summary>
    public Task<bool> SendTextAsync(byte[] payload)
    {
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (IsClosing || !_queue.Writer.TryWrite(new OutgoingFrame(WebSocketOpcode.Text, payload, Sent: sent)))
        {
            return Task.FromResult(false);
        }

        return sent.Task;
    }

    /// <summary>Queues a pong answering a ping.</summary>
    public bool TrySendPong(ReadOnlySpan<byte> payload) => !IsClosing && _queue.Writer.TryWrite(new OutgoingFrame(WebSocketOpcode.Pong, payload.ToArray()));

    /// <summary>Queues the close frame (first call only) and stops accepting frames.</summary>
    public bool TrySendClose(ushort code, string reason)
    {
        if (Interlocked.Exchange(ref _closeQueued, 1) != 0)
        {
            return false;
        }

        bool queued = _queue.Writer.TryWrite(new OutgoingFrame(WebSocketOpcode.Close, [], code, reason));
        _queue.Writer.TryComplete();
        return queued;
    }

    /// <summary>Stops the writer without a close frame (the connection is gone).</summary>
    public void Abandon()
    {
        Interlocked.Exchange(ref _closeQueued, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>Writes queued frames until the close frame went out, the queue was abandoned, or the connection failed.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (OutgoingFrame frame in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                uint mask = NewMaskKey();
                if (frame.Opcode == WebSocketOpcode.Close)
                {
                    WebSocketFrameWriter.WriteClose(_output, frame.CloseCode, frame.CloseReason ?? string.Empty, mask);
                }
                else
                {
                    WebSocketFrameWriter.WriteFrame(_output, frame.Opcode, frame.Payload, fin: true, maskKey: mask);
                }

                BytesWritten += frame.Payload.Length + WebSocketFrameWriter.MaxHeaderSize;
                FlushResult flushed = await _output.FlushAsync(ct).ConfigureAwait(false);
                if (frame.Sent is not null)
                {
                    // The flush only put the frame in the send pipe; the caller wants to know when the socket took it.
                    frame.Sent.TrySetResult(await _transport.WhenSentAsync(_transport.Written).ConfigureAwait(false));
                }

                if (flushed.IsCompleted || frame.Opcode == WebSocketOpcode.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException
            or System.Net.Sockets.SocketException or Pipelines.Sockets.Unofficial.ConnectionAbortedException)
        {
            // The connection is gone; the read loop reports why.
        }
        finally
        {
            Abandon();
            while (_queue.Reader.TryRead(out OutgoingFrame? left))
            {
                left.Sent?.TrySetResult(false);
            }
        }
    }

    private static uint NewMaskKey()
    {
        Span<byte> key = stackalloc byte[4];
        RandomNumberGenerator.Fill(key);
        return BitConverter.ToUInt32(key);
    }
}
