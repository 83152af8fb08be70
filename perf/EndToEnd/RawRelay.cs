using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Baseline 1, the floor for any relaying process: connects upstream for each client and forwards TCP bytes untouched
/// both ways (handshake, frames, compression and all), so the client talks to the Simulator through it.
/// </summary>
internal static class RawRelay
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Relays one client until either side closes.</summary>
    public static async Task RunAsync(Socket client, IPEndPoint upstream, CancellationToken ct)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            try
            {
                await server.ConnectAsync(upstream, ct).ConfigureAwait(false);
                var down = CopyAsync(server, client, ct);
                var up = CopyAsync(client, server, ct);
                await Task.WhenAny(down, up).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away: drop both.
            }
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed.
        }
        finally
        {
            try
            {
                to.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
