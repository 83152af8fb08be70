using System.Buffers;
using System.Text;
using GatewayProxy.Fuzz.Harnesses;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Fuzz;

/// <summary>Writes the seed corpus (fuzz/corpus/&lt;target&gt;/) from the project's own writers and encoders, so seeds stay valid as formats evolve.</summary>
public static class SeedWriter
{
    private const uint Mask = 0x37FA213D;

    private static readonly string[] Payloads =
    [
        """{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250,"_trace":["[\"gateway-prd-us-east1-b-0568\",{\"micros\":0.0}]"]}}""",
        """{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"id":"1234567890123456789","channel_id":"111","content":"hé ☃ 😀","guild_id":"222"}}""",
        """{"t":"READY","s":1,"op":0,"d":{"v":10,"session_id":"abc","resume_gateway_url":"wss://gateway.discord.gg","shard":[0,1],"guilds":[{"id":"1","unavailable":true}]}}""",
        """{"t":"GUILD_CREATE","s":2,"op":0,"d":{"id":"1","members":[{"user":{"id":"5"}}],"channels":[],"roles":[{"id":"1","name":"@everyone"}]}}""",
        """{"t":null,"s":null,"op":11,"d":null}""",
        """{"op":1,"d":251}""",
        """{"op":2,"d":{"token":"x","intents":513,"properties":{"os":"linux","browser":"b","device":"d"},"shard":[0,1]}}""",
        """{"op":6,"d":{"token":"x","session_id":"abc","seq":1337}}""",
        """ { "d" : [1, 2.5e3, -0, "\u0073"] , "op" : 0 , "s" : 7 , "t" : "TYPING_START" } """,
        """{"\u006fp":9,"d":false,"\u0074":"RESUMED","\u0073":null}""",
        """{"t":"X","s":1,"op":0,"d":{},"extra":{"nested":[[[{"a":null}]]]}}""",
        """{"t":null,"s":null,"op":7,"d":null,"op":7}""",
        """{"t":"PRESENCE_UPDATE","s":9223372036854775807,"op":0,"d":"\ud83d\ude00"}""",
        """{"op":0,"t":"MESSAGE_DELETE","s":-1,"d":{}}""",
        // Lone surrogates: valid JSON to a byte scanner, but System.Text.Json throws when it decodes them (the oracle abstains).
        """{"op":0,"\ud800":1,"t":"\udc00X","s":3,"d":"\ud800"}""",
        """{"t":"\ud83d","s":null,"op":0,"d":{"\udfff":"\ud800\u0041"}}""",
    ];

    /// <summary>Writes every target's seeds under <paramref name="root"/> (one folder per target).</summary>
    public static void WriteAll(string root)
    {
        Write(root, "envelope", Payloads.Select(p => Encoding.UTF8.GetBytes(p)));
        Write(root, "frame-reader", FrameSeeds());
        Write(root, "handshake", HandshakeSeeds());
        Write(root, "zlib-stream", CompressionSeeds(zstd: false));
        Write(root, "zstd-stream", CompressionSeeds(zstd: true));
    }

    private static void Write(string root, string target, IEnumerable<byte[]> seeds)
    {
        string folder = Path.Combine(root, target);
        Directory.CreateDirectory(folder);
        int i = 0;
        foreach (byte[] seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(folder, $"seed-{i++:D2}"), seed);
        }
    }

    private static IEnumerable<byte[]> FrameSeeds()
    {
        byte[] hello = Encoding.UTF8.GetBytes(Payloads[0]);
        byte[] identify = Encoding.UTF8.GetBytes(Payloads[6]);
        byte[] snow = Encoding.UTF8.GetBytes("snow ☃ man 😀");
        // Server role (client frames are masked): identify, heartbeat, ping, close.
        yield return Frames(0x00, 3, o =>
        {
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Text, identify, maskKey: Mask);
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Ping, "p"u8, maskKey: Mask);
            WebSocketFrameWriter.WriteClose(o, 1000, "bye", Mask);
        });
        // A fragmented text message with a multi-byte character cut across fragments and a ping between them.
        yield return Frames(0x00, 9, o =>
        {
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Text, snow.AsSpan(0, 6), fin: false, maskKey: Mask);
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Ping, default, maskKey: Mask);
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Continuation, snow.AsSpan(6, 8), fin: false, maskKey: Mask);
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Continuation, snow.AsSpan(14), fin: true, maskKey: Mask);
        });
        // 16-bit length, binary.
        yield return Frames(0x00, 17, o => WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Binary, new byte[300], maskKey: Mask));
        // Client role (server frames are unmasked): hello, a zlib binary payload, close 4004.
        yield return Frames(0x01, 5, o =>
        {
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Text, hello);
            using var zlib = new ZlibStreamEncoder();
            var compressed = new ArrayBufferWriter<byte>();
            zlib.Encode(hello, compressed);
            WebSocketFrameWriter.WriteFrame(o, WebSocketOpcode.Binary, compressed.WrittenSpan);
            WebSocketFrameWriter.WriteClose(o, 4004, "Authentication failed.");
        });
        // Non-minimal 64-bit length (lenient unless bit 2), and the tiny limit (bit 3).
        yield return [0x04, 1, 0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0xAB, 0xCD];
        yield return [0x08, 1, 0x81, 0xFE, 0x01, 0x00, 1, 2, 3, 4];
        // Hostile: reserved bits, unmasked client frame, reserved opcode, fragmented ping, invalid UTF-8.
        yield return [0x00, 0, 0xC1, 0x80, 0, 0, 0, 0];
        yield return [0x00, 0, 0x81, 0x02, 0x68, 0x69];
        yield return [0x00, 0, 0x83, 0x80, 0, 0, 0, 0];
        yield return [0x01, 0, 0x09, 0x00];
        yield return [0x01, 0, 0x81, 0x02, 0xC3, 0x28];
    }

    private static byte[] Frames(byte options, byte seed, Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write<byte>([options, seed]);
        write(output);
        return output.WrittenSpan.ToArray();
    }

    private static IEnumerable<byte[]> HandshakeSeeds()
    {
        const string Upgrade = "GET /?v=10&encoding=json&compress=zlib-stream HTTP/1.1\r\nHost: 127.0.0.1:7878\r\nUpgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        yield return Head(0x00, 7, Upgrade);
        yield return Head(0x00, 1, Upgrade + "\x81\x85\x37\xfa\x21\x3d");
        yield return Head(0x02, 3, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        yield return Head(0x00, 5, "GET /gateway%2Fbot?a=%zz&b=+%41 HTTP/1.0\r\nHost:  \t y \r\nX: \r\n\r\n");
        yield return Head(0x00, 2, "POST / HTTP/2.0\r\n\r\n");
        yield return Head(0x01, 4, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        yield return Head(0x01, 6, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    }

    private static byte[] Head(byte options, byte seed, string text) => [options, seed, .. Encoding.Latin1.GetBytes(text)];

    private static IEnumerable<byte[]> CompressionSeeds(bool zstd)
    {
        byte[][] plain = [.. Payloads.Take(5).Select(p => Encoding.UTF8.GetBytes(p))];
        // Raw mode: a real stream of compressed messages, as a shard receives it.
        using (IMessageEncoder encoder = zstd ? new ZstdStreamEncoder(3, 10) : new ZlibStreamEncoder())
        {
            var raw = new ArrayBufferWriter<byte>();
            raw.Write<byte>([0x00, 0x00]);
            foreach (byte[] message in plain)
            {
                var one = new ArrayBufferWriter<byte>();
                encoder.Encode(message, one);
                raw.Write<byte>([(byte)one.WrittenCount]);
                raw.Write(one.WrittenSpan);
            }

            yield return raw.WrittenSpan.ToArray();
        }

        // Round-trip mode: plaintext messages, at a few levels, split and corrupted.
        foreach (byte options in new byte[] { 0x01 | (6 << 1), 0x01 | (1 << 1) | 32, 0x01 | (3 << 1) | 16 })
        {
            var seed = new ArrayBufferWriter<byte>();
            seed.Write<byte>([options, 0x2B]);
            foreach (byte[] message in plain)
            {
                seed.Write<byte>([(byte)message.Length]);
                seed.Write(message);
            }

            yield return seed.WrittenSpan.ToArray();
        }
    }
}
