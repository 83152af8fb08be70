using GatewayProxy.Protocol.Gateway;
using System.Security.Cryptography;
using System.Text;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>
/// The generated world and its live streams are fixed by the seed: SHA-256 digests of every guild's GUILD_CREATE bytes
/// (several views) and of the first live events per shard, taken from the generator that held every guild's bytes. A
/// change in how guilds are generated or held must keep these digests.
/// </summary>
public sealed class WorldGoldenTests
{
    public static TheoryData<int, int, int, int, string> Worlds => new()
    {
        // shards, guilds, members per guild, seed, digest
        { 2, 20, 50, 1, "b88dabb711ce2b88ded1b9a7c12ea085beca25ad970a4a828230e7a552addc4a" },
        { 4, 300, 50, 1, "0df435561e4882137713db4dce29ffd660e8a04fc3edf5064bbc3957c1d7dee8" },
        { 16, 400, 10, 7, "320ab14c7134c09db2aa2e1010c946328c3e7395bfc94420af4bda7556e107f0" },
        { 3, 120, 120, 42, "3614079b8763c7f42eb61d189fe99154a66a28eae1afc86d1031215230214536" },
    };

    [Theory]
    [MemberData(nameof(Worlds))]
    public void Guilds_and_live_streams_match_the_digest_of_the_stored_world(int shards, int guilds, int members, int seed, string digest)
    {
        var state = new DataGenerator(new SimulatorOptions { ShardCount = shards, GuildCount = guilds, MembersPerGuild = members, Seed = seed }).Generate();
        var actual = Digest(state);
        Assert.True(actual == digest, $"digest {actual}, expected {digest}");
    }

    /// <summary>Every guild's full GUILD_CREATE, two filtered views of every guild, and 200 live events of the first two shards.</summary>
    internal static string Digest(SimulatorState state)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(ReadOnlySpan<byte> bytes)
        {
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        Add(Json.ToBytes(state.BotUser));
        Add(Json.ToBytes(state.Application));
        for (var shard = 0; shard < state.ShardCount; shard++)
        {
            foreach (var guild in state.Shard(shard).Guilds)
            {
                Add(Encoding.ASCII.GetBytes(guild.IdString));
                Add(GuildViews.GuildCreateBytes(guild, GatewayIntents.All, int.MaxValue, state.BotUserId));
                Add(GuildViews.GuildCreateBytes(guild, GatewayIntents.All, 30, state.BotUserId));
                Add(GuildViews.GuildCreateBytes(guild, GatewayIntents.All & ~GatewayIntents.GuildPresences, 250, state.BotUserId));
            }
        }

        for (var shard = 0; shard < Math.Min(2, state.ShardCount); shard++)
        {
            var generator = new EventGenerator(state.Shard(shard), state.BotUserId);
            var events = new List<LiveEvent>();
            for (var attempt = 0; attempt < 800 && events.Count < 200; attempt++)
            {
                generator.Next(GatewayIntents.All, 2, events);
            }

            foreach (var e in events)
            {
                Add(Encoding.ASCII.GetBytes(e.Type));
                Add(e.GuildCreate is { } guild ? GuildViews.GuildCreateBytes(guild, GatewayIntents.All, 250, state.BotUserId) : e.Data);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
