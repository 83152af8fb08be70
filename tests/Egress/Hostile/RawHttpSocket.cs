using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>A bare TCP connection to the proxy for tests that break HTTP: send any bytes, read the raw answer.
/// Every wait is bounded by <see cref="HostileScene.WaitLimit"/>.</summary>
internal sealed class RawHttpSocket : IDisposable
{
    private readonly Socket _socket;

    private RawHttpSocket(Socket socket) => _socket = socket;

    public static async Task<RawHttpSocket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(HostileScene.WaitLimit);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return new RawHttpSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(HostileScene.WaitLimit);
        await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
    }

    /// <summary>Everything the server sends until it ends the connection (FIN or reset), as text.</summary>
    public async Task<string> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(HostileScene.WaitLimit);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Reset after the answer: what came before still counts.
        }

        return Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
    }

    /// <summary>The status code of a raw HTTP answer ("HTTP/1.1 431 ..."), or 0 when there was none.</summary>
    public static int StatusOf(string response) =>
        response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && response.Length >= 12
            ? int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Drops the connection abruptly (RST when data is unread).</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}
