using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;

namespace GatewayProxy.Tests.Support;

/// <summary>Shortcuts for tests that talk to a <see cref="DiscordSimulator"/> with a <see cref="RawGatewayClient"/>.</summary>
public static class SimulatorClients
{
    /// <summary>GUILDS, GUILD_MEMBERS, GUILD_VOICE_STATES, GUILD_PRESENCES, GUILD_MESSAGES, GUILD_MESSAGE_TYPING, MESSAGE_CONTENT.</summary>
    public const long AllUsefulIntents = 1 | 2 | 128 | 256 | 512 | 2048 | 32768;

    /// <summary>Starts a simulator with test-friendly defaults (no live stream, short identify interval) changed by <paramref name="configure"/>.</summary>
    public static Task<DiscordSimulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            ShardCount = 2,
            GuildCount = 6,
            MembersPerGuild = 20,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return DiscordSimulator.StartAsync(options);
    }

    /// <summary>A client that has received HELLO, identified, and received READY and every GUILD_CREATE of its shard.</summary>
    public static async Task<IdentifiedClient> ConnectIdentifiedAsync(DiscordSimulator simulator, int shard, long intents = AllUsefulIntents,
        TransportCompression compression = TransportCompression.None, string extra = "")
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl, compression, simulator.Certificate);
        try
        {
            var hello = await client.ReceiveAsync();
            if (hello.Op != 10)
            {
                throw new InvalidOperationException($"expected HELLO, got {hello}");
            }

            await client.IdentifyAsync(simulator.Options.Token, shard, simulator.Options.ShardCount, intents, extra);
            var ready = await client.ReceiveAsync();
            if (ready.Type != "READY")
            {
                throw new InvalidOperationException($"expected READY, got {ready}");
            }

            var guilds = new List<GatewayMessage>();
            var expected = simulator.State.GetGuildIds(shard).Count;
            while (guilds.Count < expected)
            {
                var message = await client.ReceiveAsync();
                if (message.Type == "GUILD_CREATE")
                {
                    guilds.Add(message);
                }
            }

            return new IdentifiedClient(client, hello, ready, guilds);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A connected, identified client with what it received up to its last GUILD_CREATE.</summary>
public sealed record IdentifiedClient(RawGatewayClient Client, GatewayMessage Hello, GatewayMessage Ready, IReadOnlyList<GatewayMessage> GuildCreates) : IAsyncDisposable
{
    /// <summary>The session id from READY.</summary>
    public string SessionId => Ready.Data.GetProperty("session_id").GetString()!;

    /// <summary>Disposes the client.</summary>
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
