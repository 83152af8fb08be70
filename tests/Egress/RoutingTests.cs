using System.Text.Json;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>Replies to one client's request go to that client only, with its own nonce; commands reach the shard.</summary>
public sealed class RoutingTests
{
    private static string LastCommand(TestShardFeed feed, int op)
    {
        string? found = null;
        foreach (string command in feed.Commands)
        {
            using JsonDocument document = JsonDocument.Parse(command);
            if (document.RootElement.GetProperty("op").GetInt32() == op) found = command;
        }

        return found ?? throw new InvalidOperationException($"no op {op} was sent upstream");
    }

    /// <summary>The proxy nonce of the last op 8 sent upstream (call after <see cref="SyncAsync"/>: the ACK proves the read
    /// loop handled the request, since it handles payloads in order).</summary>
    private static string ProxyNonceOfLastRequest(TestShardFeed feed)
    {
        using JsonDocument document = JsonDocument.Parse(LastCommand(feed, 8));
        return document.RootElement.GetProperty("d").GetProperty("nonce").GetString()!;
    }

    private static async Task SyncAsync(RawGatewayClient client)
    {
        await client.SendAsync("{\"op\":1,\"d\":null}");
        GatewayMessage ack = await client.ReceiveAsync();
        Assert.Equal(11, ack.Op);
    }

    [Fact]
    public async Task A_member_chunk_reaches_only_the_requester_with_its_own_nonce()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync();
        await a.Client.SendAsync("{\"op\":8,\"d\":{\"guild_id\":\"1000\",\"query\":\"\",\"limit\":0,\"nonce\":\"client-a-1\"}}");
        await SyncAsync(a.Client);
        string proxyNonce = ProxyNonceOfLastRequest(server.Feed);
        Assert.StartsWith("gp", proxyNonce, StringComparison.Ordinal);
        Assert.True(proxyNonce.Length <= 32);
        Assert.Contains("\"query\":\"\"", LastCommand(server.Feed, 8), StringComparison.Ordinal);

        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        server.Feed.Publish("GUILD_MEMBERS_CHUNK", $"{{\"guild_id\":\"1000\",\"members\":[],\"chunk_index\":0,\"chunk_count\":1,\"nonce\":\"{proxyNonce}\"}}");
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(2));

        GatewayMessage a1 = await a.Client.ReceiveAsync();
        GatewayMessage chunk = await a.Client.ReceiveAsync();
        GatewayMessage a2 = await a.Client.ReceiveAsync();
        Assert.Equal((1L, 4L), (a1.Data.GetProperty("n").GetInt64(), a1.Seq!.Value));
        Assert.Equal(("GUILD_MEMBERS_CHUNK", 5L, "client-a-1"), (chunk.Type, chunk.Seq!.Value, chunk.Data.GetProperty("nonce").GetString()));
        Assert.Equal((2L, 6L), (a2.Data.GetProperty("n").GetInt64(), a2.Seq!.Value));

        GatewayMessage b1 = await b.Client.ReceiveAsync();
        GatewayMessage b2 = await b.Client.ReceiveAsync();
        Assert.Equal((1L, 4L), (b1.Data.GetProperty("n").GetInt64(), b1.Seq!.Value));
        Assert.Equal((2L, 5L), (b2.Data.GetProperty("n").GetInt64(), b2.Seq!.Value));
    }

    [Fact]
    public async Task A_request_without_nonce_gets_its_reply_without_one_and_rate_limited_keeps_meta_nonce()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await a.Client.SendAsync("{\"op\":8,\"d\":{\"guild_id\":\"1000\",\"user_ids\":[\"1\"]}}");
        await SyncAsync(a.Client);
        string first = ProxyNonceOfLastRequest(server.Feed);
        await a.Client.SendAsync("{\"op\":8,\"d\":{\"guild_id\":\"1000\",\"query\":\"x\",\"limit\":1,\"nonce\":\"n\\\"q\"}}");
        await SyncAsync(a.Client);
        string second = ProxyNonceOfLastRequest(server.Feed);

        server.Feed.Publish("GUILD_MEMBERS_CHUNK", $"{{\"guild_id\":\"1000\",\"nonce\":\"{first}\",\"members\":[]}}");
        server.Feed.Publish("RATE_LIMITED", $"{{\"opcode\":8,\"retry_after\":1.5,\"meta\":{{\"guild_id\":\"1000\",\"nonce\":\"{second}\"}}}}");
        GatewayMessage chunk = await a.Client.ReceiveAsync();
        Assert.Equal("GUILD_MEMBERS_CHUNK", chunk.Type);
        Assert.False(chunk.Data.TryGetProperty("nonce", out _));
        Assert.Equal(0, chunk.Data.GetProperty("members").GetArrayLength());
        GatewayMessage limited = await a.Client.ReceiveAsync();
        Assert.Equal(("RATE_LIMITED", 5L), (limited.Type, limited.Seq!.Value));
        Assert.Equal("n\"q", limited.Data.GetProperty("meta").GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task Soundboard_sounds_go_to_the_requester_only_and_commands_are_forwarded()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync();
        await a.Client.SendAsync("{\"op\":31,\"d\":{\"guild_ids\":[\"1000\"]}}");
        await a.Client.SendAsync("{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":\"idle\",\"afk\":false}}");
        await SyncAsync(a.Client);
        Assert.Contains("\"guild_ids\"", LastCommand(server.Feed, 31), StringComparison.Ordinal);
        Assert.Contains("\"idle\"", LastCommand(server.Feed, 3), StringComparison.Ordinal);

        server.Feed.Publish("SOUNDBOARD_SOUNDS", "{\"guild_id\":\"1000\",\"soundboard_sounds\":[]}");
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        GatewayMessage sounds = await a.Client.ReceiveAsync();
        Assert.Equal(("SOUNDBOARD_SOUNDS", 4L), (sounds.Type, sounds.Seq!.Value));
        Assert.Equal(5L, (await a.Client.ReceiveAsync()).Seq);
        GatewayMessage other = await b.Client.ReceiveAsync();
        Assert.Equal(("MESSAGE_CREATE", 4L), (other.Type, other.Seq!.Value));
    }

    [Fact]
    public async Task A_command_the_shard_limiter_refuses_is_dropped_without_closing_the_client()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        server.Feed.RefuseCommands = "send limiter full";
        await a.Client.SendAsync("{\"op\":4,\"d\":{\"guild_id\":\"1000\",\"channel_id\":null,\"self_mute\":false,\"self_deaf\":false}}");
        await SyncAsync(a.Client);
        Assert.Empty(server.Feed.Commands);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        Assert.Equal(4L, (await a.Client.ReceiveAsync()).Seq);
    }

    // GUILDS, GUILD_VOICE_STATES (VOICE_STATE_UPDATE), GUILD_MESSAGES.
    private const long VoiceIntents = 1 | 128 | 512;
    private const string JoinVoice = "{\"op\":4,\"d\":{\"guild_id\":\"1000\",\"channel_id\":\"77\",\"self_mute\":false,\"self_deaf\":false}}";
    private const string VoiceState = "{\"guild_id\":\"1000\",\"channel_id\":\"77\",\"user_id\":\"5\",\"session_id\":\"s\"}";
    private const string VoiceServer = "{\"token\":\"abc\",\"guild_id\":\"1000\",\"endpoint\":\"voice.example:443\"}";

    [Fact]
    public async Task Voice_server_update_goes_to_the_client_that_sent_op_4_and_voice_state_update_to_both()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync(intents: VoiceIntents);
        await using IdentifiedTestClient b = await server.IdentifyAsync(intents: VoiceIntents);
        await a.Client.SendAsync(JoinVoice);
        await SyncAsync(a.Client);
        Assert.Contains("\"channel_id\":\"77\"", LastCommand(server.Feed, 4), StringComparison.Ordinal);

        server.Feed.Publish("VOICE_STATE_UPDATE", VoiceState);
        server.Feed.Publish("VOICE_SERVER_UPDATE", VoiceServer);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));

        Assert.Equal([("VOICE_STATE_UPDATE", 4L), ("VOICE_SERVER_UPDATE", 5L), ("MESSAGE_CREATE", 6L)], await TypesAsync(a.Client, 3));
        // b skips the reply (its sequence stays contiguous) and sees the next event right after the voice state.
        Assert.Equal([("VOICE_STATE_UPDATE", 4L), ("MESSAGE_CREATE", 5L)], await TypesAsync(b.Client, 2));
    }

    [Fact]
    public async Task Voice_server_update_goes_to_the_most_recent_requester_of_that_guild()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync();
        await a.Client.SendAsync(JoinVoice);
        await SyncAsync(a.Client);
        await b.Client.SendAsync(JoinVoice);
        await SyncAsync(b.Client);
        // Another guild's op 4 from a does not change who asked for guild 1000.
        await a.Client.SendAsync("{\"op\":4,\"d\":{\"guild_id\":\"2000\",\"channel_id\":\"78\",\"self_mute\":false,\"self_deaf\":false}}");
        await SyncAsync(a.Client);

        server.Feed.Publish("VOICE_SERVER_UPDATE", VoiceServer);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        Assert.Equal([("VOICE_SERVER_UPDATE", 4L), ("MESSAGE_CREATE", 5L)], await TypesAsync(b.Client, 2));
        Assert.Equal([("MESSAGE_CREATE", 4L)], await TypesAsync(a.Client, 1));
    }

    [Fact]
    public async Task Voice_server_update_goes_to_every_client_when_its_requester_is_gone_or_nobody_asked()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync();
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        await a.Client.SendAsync(JoinVoice);
        await SyncAsync(a.Client);
        // A 1000 close ends a's session: it can never resume to collect the reply.
        await a.Client.CloseAsync(1000, "bye");
        await Poll.UntilAsync(() => server.Server.SessionCount == 2, RawGatewayClient.DefaultTimeout, () => "a's session to end");

        server.Feed.Publish("VOICE_SERVER_UPDATE", VoiceServer);
        server.Feed.Publish("VOICE_SERVER_UPDATE", VoiceServer.Replace("1000", "3000", StringComparison.Ordinal));
        Assert.Equal([("VOICE_SERVER_UPDATE", 4L), ("VOICE_SERVER_UPDATE", 5L)], await TypesAsync(b.Client, 2));
        Assert.Equal([("VOICE_SERVER_UPDATE", 4L), ("VOICE_SERVER_UPDATE", 5L)], await TypesAsync(c.Client, 2));
    }

    [Fact]
    public async Task A_requester_that_resumes_gets_its_voice_server_update_in_the_replay_and_nobody_else_does()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync();
        await a.Client.SendAsync(JoinVoice);
        await SyncAsync(a.Client);
        long lastSeq = a.Client.LastSeq!.Value;
        a.Client.Abort();
        await a.DisposeAsync();
        await Poll.UntilAsync(() => server.Server.ConnectedClients == 1, RawGatewayClient.DefaultTimeout, () => "a's socket to be gone");

        server.Feed.Publish("VOICE_SERVER_UPDATE", VoiceServer);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        Assert.Equal([("MESSAGE_CREATE", 4L)], await TypesAsync(b.Client, 1));

        await using RawGatewayClient again = await server.ConnectAsync();
        await again.ResumeAsync(EgressTestServer.Token, a.SessionId, lastSeq);
        Assert.Equal([("VOICE_SERVER_UPDATE", lastSeq + 1), ("MESSAGE_CREATE", lastSeq + 2), ("RESUMED", lastSeq + 3)], await TypesAsync(again, 3));
    }

    /// <summary>The next <paramref name="count"/> dispatches' types and sequences (heartbeat ACKs skipped).</summary>
    private static async Task<(string, long)[]> TypesAsync(RawGatewayClient client, int count)
    {
        var list = new List<(string, long)>(count);
        while (list.Count < count)
        {
            GatewayMessage message = await client.ReceiveAsync();
            if (message.Op == 0) list.Add((message.Type!, message.Seq!.Value));
        }

        return [.. list];
    }
}
