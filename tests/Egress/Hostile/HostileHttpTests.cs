using System.Text;
using GatewayProxy.Egress.Metrics;
using Xunit;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>Hostile HTTP before the upgrade: requests past the size limits get 414/431/400 with a reason, a slowloris
/// handshake is dropped, and none of it holds a connection or costs the good client an event.</summary>
public sealed class HostileHttpTests
{
    private const string UpgradeHeaders =
        "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    public static TheoryData<string, int> Cases() => new()
    {
        { "request line over 8 KiB", 414 },
        { "65 header fields", 431 },
        { "header section over 16 KiB", 431 },
        { "one header line over 16 KiB", 431 },
        { "not HTTP at all", 400 },
        { "bare LF line ends", 400 },
        { "HTTP/1.0 upgrade", 400 },
        { "upgrade without a key", 400 },
    };

    private static string RequestOf(string name) => name switch
    {
        "request line over 8 KiB" => "GET /?v=10&pad=" + new string('a', 8300) + " HTTP/1.1\r\n" + UpgradeHeaders + "\r\n",
        "65 header fields" => "GET /?v=10 HTTP/1.1\r\n" + UpgradeHeaders + string.Concat(Enumerable.Range(0, 60).Select(i => $"X-Pad-{i}: {i}\r\n")) + "\r\n",
        "header section over 16 KiB" => "GET /?v=10 HTTP/1.1\r\n" + UpgradeHeaders + string.Concat(Enumerable.Range(0, 20).Select(i => $"X-Pad-{i}: {new string('b', 1000)}\r\n")) + "\r\n",
        "one header line over 16 KiB" => "GET /?v=10 HTTP/1.1\r\n" + UpgradeHeaders + "X-Big: " + new string('c', 17000) + "\r\n\r\n",
        "not HTTP at all" => "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n",
        "bare LF line ends" => "GET /?v=10 HTTP/1.1\n" + UpgradeHeaders.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n",
        "HTTP/1.0 upgrade" => "GET /?v=10 HTTP/1.0\r\n" + UpgradeHeaders + "\r\n",
        "upgrade without a key" => "GET /?v=10 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_gets_its_status_and_a_reason_and_the_good_client_misses_nothing(string hostile, int expectedStatus)
    {
        await using HostileScene scene = await HostileScene.StartAsync();
        scene.Publish(20);
        using (RawHttpSocket socket = await RawHttpSocket.ConnectAsync(scene.Proxy.LocalEndPoint))
        {
            await socket.SendAsync(Encoding.Latin1.GetBytes(RequestOf(hostile)));
            string response = await socket.ReadToEndAsync();
            Assert.True(RawHttpSocket.StatusOf(response) == expectedStatus, $"wanted {expectedStatus}, got: {Head(response)}");
            string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            Assert.False(string.IsNullOrWhiteSpace(body), "an error answer must say why");
        }

        scene.Publish(20);
        await scene.AssertGoodClientSawEveryEventAsync();
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
        Assert.Equal(1, scene.Proxy.RefusedCount(RefusalReason.BadRequest) + scene.Proxy.RefusedCount(RefusalReason.BadUpgrade));
    }

    [Fact]
    public async Task Slowloris_trickling_a_request_is_dropped_at_the_handshake_deadline_not_kept_alive_by_each_byte()
    {
        await using HostileScene scene = await HostileScene.StartAsync(o => o.CloseTimeout = TimeSpan.FromMilliseconds(500));
        // Read per connection: only connections from here on get the short deadline (the good client's own handshake,
        // on a loaded box, must not be held to it).
        scene.Server.Options.HandshakeTimeout = TimeSpan.FromMilliseconds(500);
        using RawHttpSocket socket = await RawHttpSocket.ConnectAsync(scene.Proxy.LocalEndPoint);
        Task<string> answer = socket.ReadToEndAsync();
        await socket.SendAsync("GET /?v=10&encoding=json HTTP/1.1\r\n");
        // One header byte at a time, never the blank line that ends the request; bounded: 3000 bytes at most.
        byte[] trickle = Encoding.ASCII.GetBytes("X-Slow: " + new string('s', 3000));
        int sent = 0;
        while (!answer.IsCompleted && sent < trickle.Length)
        {
            try
            {
                await socket.SendAsync(trickle[sent..(sent + 1)]);
            }
            catch (System.Net.Sockets.SocketException)
            {
                break;
            }

            sent++;
            scene.Publish(1);
            await Task.WhenAny(answer, Task.Delay(20));
        }

        Assert.True(sent < trickle.Length, "the server kept a request that never ends open for every byte sent");
        Assert.Equal(string.Empty, await answer);
        Assert.Equal(1, scene.Proxy.RefusedCount(RefusalReason.HandshakeTimeout));
        await scene.AssertGoodClientSawEveryEventAsync();
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
    }

    [Fact]
    public async Task Many_idle_half_open_handshakes_are_all_dropped_and_released()
    {
        await using HostileScene scene = await HostileScene.StartAsync(o => o.CloseTimeout = TimeSpan.FromMilliseconds(300));
        // Read per connection: only connections from here on get the short deadline (the good client's own handshake,
        // on a loaded box, must not be held to it).
        scene.Server.Options.HandshakeTimeout = TimeSpan.FromMilliseconds(300);
        var sockets = new List<RawHttpSocket>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                RawHttpSocket socket = await RawHttpSocket.ConnectAsync(scene.Proxy.LocalEndPoint);
                sockets.Add(socket);
                await socket.SendAsync(i % 2 == 0 ? "GET / HTTP/1.1\r\nHost: x\r\n" : "G");
                if (i % 10 == 0) scene.Publish(1);
            }

            foreach (RawHttpSocket socket in sockets) Assert.Equal(string.Empty, await socket.ReadToEndAsync());
        }
        finally
        {
            foreach (RawHttpSocket socket in sockets) socket.Dispose();
        }

        Assert.Equal(200, scene.Proxy.RefusedCount(RefusalReason.HandshakeTimeout));
        await scene.AssertGoodClientSawEveryEventAsync();
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
    }

    private static string Head(string response) => response.Length > 200 ? response[..200] : response;
}
