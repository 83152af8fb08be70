using System.Text;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Every close code the simulator produces, each from the matching bad input, over real loopback sockets.</summary>
public sealed class CloseCodeTests
{
    private static async Task<ushort?> CloseAfterAsync(Func<RawGatewayClient, DiscordSimulator, Task> act, Action<SimulatorOptions>? configure = null, string? pathAndQuery = null)
    {
        await using var simulator = await SimulatorClients.StartAsync(configure);
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl, pathAndQuery: pathAndQuery);
        var hello = await client.ReceiveAsync();
        Assert.Equal(10, hello.Op);
        await act(client, simulator);
        return await client.ReceiveCloseAsync();
    }

    private static Task Identify(RawGatewayClient client, DiscordSimulator simulator, int shard = 0) =>
        client.IdentifyAsync(simulator.Options.Token, shard, simulator.Options.ShardCount, SimulatorClients.AllUsefulIntents);

    [Fact]
    public async Task Invalid_json_closes_4002()
    {
        Assert.Equal((ushort)4002, await CloseAfterAsync((c, _) => c.SendAsync("{\"op\":1,")));
    }

    [Fact]
    public async Task Payload_over_4096_bytes_closes_4002()
    {
        var big = "{\"op\":1,\"d\":null,\"pad\":\"" + new string('x', 4100) + "\"}";
        Assert.Equal((ushort)4002, await CloseAfterAsync((c, _) => c.SendAsync(big)));
    }

    [Fact]
    public async Task Payload_of_exactly_4096_bytes_is_accepted()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await client.ReceiveAsync();
        var prefix = "{\"op\":1,\"d\":null,\"pad\":\"";
        var payload = prefix + new string('x', 4096 - prefix.Length - 2) + "\"}";
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(payload));
        await client.SendAsync(payload);
        Assert.Equal(11, (await client.ReceiveAsync()).Op);
    }

    [Theory]
    [InlineData("{\"op\":8,\"d\":{\"guild_id\":\"1\",\"query\":\"\",\"limit\":0}}")]
    [InlineData("{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":\"online\",\"afk\":false}}")]
    [InlineData("{\"op\":4,\"d\":{\"guild_id\":\"1\",\"channel_id\":null,\"self_mute\":false,\"self_deaf\":false}}")]
    [InlineData("{\"op\":31,\"d\":{\"guild_ids\":[\"1\"]}}")]
    [InlineData("{\"op\":99,\"d\":null}")]
    public async Task Anything_but_heartbeat_before_identify_closes_4003(string payload)
    {
        Assert.Equal((ushort)4003, await CloseAfterAsync(async (c, _) =>
        {
            await c.SendAsync("{\"op\":1,\"d\":null}");
            Assert.Equal(11, (await c.ReceiveAsync()).Op);
            await c.SendAsync(payload);
        }));
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("Bot wrong-token")]
    public async Task Wrong_token_closes_4004(string token)
    {
        Assert.Equal((ushort)4004, await CloseAfterAsync((c, s) => c.IdentifyAsync(token, 0, s.Options.ShardCount, 1)));
    }

    [Fact]
    public async Task Token_with_bot_prefix_is_accepted()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await client.ReceiveAsync();
        await client.IdentifyAsync("Bot " + simulator.Options.Token, 0, 2, 1);
        Assert.Equal("READY", (await client.ReceiveAsync()).Type);
    }

    [Fact]
    public async Task Second_identify_closes_4005()
    {
        Assert.Equal((ushort)4005, await CloseAfterAsync(async (c, s) =>
        {
            await Identify(c, s);
            await c.ReceiveUntilAsync(m => m.Type == "READY");
            await Identify(c, s);
        }));
    }

    [Fact]
    public async Task Resume_after_identify_closes_4005()
    {
        Assert.Equal((ushort)4005, await CloseAfterAsync(async (c, s) =>
        {
            await Identify(c, s);
            var ready = (await c.ReceiveUntilAsync(m => m.Type == "READY")).Match;
            await c.ResumeAsync(s.Options.Token, ready.Data.GetProperty("session_id").GetString()!, 1);
        }));
    }

    [Fact]
    public async Task More_than_120_payloads_per_minute_closes_4008()
    {
        Assert.Equal((ushort)4008, await CloseAfterAsync(async (c, _) =>
        {
            for (var i = 0; i < 121; i++)
            {
                await c.SendAsync("{\"op\":1,\"d\":null}");
            }
        }));
    }

    [Fact]
    public async Task Exactly_120_payloads_per_minute_are_accepted()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await client.ReceiveAsync();
        for (var i = 0; i < 120; i++)
        {
            await client.SendAsync("{\"op\":1,\"d\":null}");
        }

        for (var i = 0; i < 120; i++)
        {
            Assert.Equal(11, (await client.ReceiveAsync()).Op);
        }

        Assert.Null(client.CloseReceived);
    }

    [Fact]
    public async Task No_heartbeat_within_the_interval_closes_4009()
    {
        Assert.Equal((ushort)4009, await CloseAfterAsync((_, _) => Task.CompletedTask, o => o.HeartbeatIntervalMs = 200));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(-1, 2)]
    [InlineData(0, 3)]
    [InlineData(5, 3)]
    public async Task Shard_out_of_range_closes_4010(int shard, int count)
    {
        Assert.Equal((ushort)4010, await CloseAfterAsync((c, s) => c.IdentifyAsync(s.Options.Token, shard, count, 1)));
    }

    [Fact]
    public async Task Too_few_shards_closes_4011()
    {
        Assert.Equal((ushort)4011, await CloseAfterAsync((c, s) => c.IdentifyAsync(s.Options.Token, 0, 1, 1)));
    }

    [Fact]
    public async Task Missing_shard_means_one_shard_and_closes_4011_for_a_two_shard_bot()
    {
        Assert.Equal((ushort)4011, await CloseAfterAsync((c, s) => c.SendAsync($"{{\"op\":2,\"d\":{{\"token\":\"{s.Options.Token}\",\"properties\":{{}},\"intents\":1}}}}")));
    }

    [Fact]
    public async Task Wrong_api_version_closes_4012()
    {
        Assert.Equal((ushort)4012, await CloseAfterAsync((_, _) => Task.CompletedTask, pathAndQuery: "/?v=8&encoding=json"));
    }

    [Theory]
    [InlineData("1073741824")]
    [InlineData("-1")]
    [InlineData("\"1\"")]
    public async Task Invalid_intents_close_4013(string intents)
    {
        Assert.Equal((ushort)4013, await CloseAfterAsync((c, s) =>
            c.SendAsync($"{{\"op\":2,\"d\":{{\"token\":\"{s.Options.Token}\",\"properties\":{{}},\"shard\":[0,2],\"intents\":{intents}}}}}")));
    }

    [Fact]
    public async Task Disallowed_intents_close_4014()
    {
        Assert.Equal((ushort)4014, await CloseAfterAsync((c, s) => c.IdentifyAsync(s.Options.Token, 0, 2, 1 | 256), o => o.AllowedIntents = 1));
    }

    [Fact]
    public async Task Unknown_opcode_after_identify_closes_4001()
    {
        Assert.Equal((ushort)4001, await CloseAfterAsync(async (c, s) =>
        {
            await Identify(c, s);
            await c.ReceiveUntilAsync(m => m.Type == "READY");
            await c.SendAsync("{\"op\":42,\"d\":null}");
        }));
    }

    [Fact]
    public async Task Unmasked_client_frame_is_a_protocol_error_1002()
    {
        Assert.Equal((ushort)1002, await CloseAfterAsync(async (c, _) =>
        {
            var frame = new System.Buffers.ArrayBufferWriter<byte>();
            WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, "{\"op\":1,\"d\":null}"u8);
            await c.SendRawAsync(frame.WrittenMemory);
        }));
    }

    [Fact]
    public async Task Etf_encoding_is_refused_at_the_upgrade_with_400()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var e = await Assert.ThrowsAsync<HandshakeRejectedException>(() => RawGatewayClient.ConnectAsync(simulator.GatewayUrl, pathAndQuery: "/?v=10&encoding=etf"));
        Assert.Equal(400, e.Status);
        Assert.Contains("etf", e.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_close_is_echoed_with_its_code()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await client.ReceiveAsync();
        await client.CloseAsync(4901, "bye");
        Assert.Equal((ushort)4901, await client.ReceiveCloseAsync());
    }
}
