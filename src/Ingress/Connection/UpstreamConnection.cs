using System.IO.Pipelines;
using System.Net.Sockets;

namespace GatewayProxy.Ingress.Connection;

/// <summary>One upstream TCP (or TLS) connection seen as an <see cref="IDuplexPipe"/>; protocol code never sees the socket.</summary>
public sealed class UpstreamConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly IDisposable? _transport;
    private readonly Stream? _stream;
    private int _disposed;

    internal UpstreamConnection(IDuplexPipe pipe, UpstreamOutput output, Socket socket, IDisposable? transport, Stream? stream)
    {
        Pipe = pipe;
        Output = output;
        _socket = socket;
        _transport = transport;
        _stream = stream;
    }

    /// <summary>The byte streams of the connection.</summary>
    public IDuplexPipe Pipe { get; }

    /// <summary>The send side behind <see cref="IDuplexPipe.Output"/>: how much of what was written has left.</summary>
    internal UpstreamOutput Output { get; }

    /// <summary>Tears the connection down at once (zombie, shutdown timeout): pending reads end.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone.
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }

        _socket.Dispose();
    }

    /// <summary>Completes both pipes and releases the socket and TLS stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Pipe.Output.CompleteAsync().ConfigureAwait(false);
            await Pipe.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // A pending read or flush on an aborted connection: nothing left to complete cleanly.
        }

        Abort();
        await Output.Completion.ConfigureAwait(false);
        _transport?.Dispose();
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
