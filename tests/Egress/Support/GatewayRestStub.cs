using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>Discord's two gateway REST endpoints, pointing clients at a given gateway URL (the proxy under test).</summary>
/// <remarks>HTTP/1.1 with <c>Connection: close</c>: one request per connection, enough for <c>GET /gateway/bot</c>.</remarks>
internal sealed class GatewayRestStub : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _body;

    public GatewayRestStub(Uri gatewayUrl, int shards, int maxConcurrency)
    {
        string url = gatewayUrl.ToString().TrimEnd('/');
        _body = $"{{\"url\":\"{url}\",\"shards\":{shards.ToString(CultureInfo.InvariantCulture)},\"session_start_limit\":{{\"total\":1000,\"remaining\":999,\"reset_after\":14400000,\"max_concurrency\":{maxConcurrency.ToString(CultureInfo.InvariantCulture)}}}}}";
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL clients use as their REST <c>api</c> (…/api).</summary>
    public string ApiUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/api";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            NetworkStream stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) return;
                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            string requestLine = head.ToString().Split("\r\n")[0];
            string path = requestLine.Split(' ')[1];
            bool known = path.Contains("/gateway", StringComparison.Ordinal);
            string body = known ? _body : "{\"message\":\"404: Not Found\",\"code\":0}";
            string response = $"HTTP/1.1 {(known ? "200 OK" : "404 Not Found")}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token);
        }
    }
}
