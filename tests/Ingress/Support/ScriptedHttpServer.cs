using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayProxy.Tests.Ingress.Support;

/// <summary>
/// A loopback HTTP/1.1 server that answers request number i with the i-th scripted status (the last one repeats;
/// 0 means: hold the request and never answer). Records every request target. One request per connection.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int[] _statuses;
    private readonly List<string> _targets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _loop;

    public ScriptedHttpServer(params int[] statuses)
    {
        _statuses = statuses;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Request targets (path and query) in arrival order.</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (_targets)
            {
                return _targets.ToArray();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_held)
        {
            foreach (TcpClient client in _held)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            string head = await ReadHeadAsync(stream);
            string target = head.Split(' ', 3) is { Length: 3 } parts ? parts[1] : head;
            int status;
            lock (_targets)
            {
                _targets.Add(target);
                status = _statuses[Math.Min(_targets.Count - 1, _statuses.Length - 1)];
            }

            if (status == 0)
            {
                lock (_held)
                {
                    _held.Add(client);
                }

                return;
            }

            byte[] body = Encoding.ASCII.GetBytes("{\"message\": \"scripted\"}");
            string response = $"HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
            client.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (head.Length < 16384 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
