using GatewayProxy.Protocol.Gateway;
using System.Text;
using System.Text.Json.Nodes;
using GatewayProxy.Cache;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Cache;

/// <summary>Snapshots taken from other threads while the updater applies a stream are each exactly "the first p events".</summary>
public sealed class ConcurrentSnapshotTests
{
    private const int EventCount = 20_000;
    private const int SnapshotsPerReader = 120;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_concurrent_snapshot_equals_a_replay_of_exactly_its_first_p_events()
    {
        List<(byte[] Type, byte[] Data)> events = GenerateStream();
        var cache = new ShardCache(0, CacheOptions.All());
        int half = events.Count / 2;
        using var halfSeen = new ManualResetEventSlim();
        using var readersRunning = new CountdownEvent(2);
        bool writerDone = false;

        // Readers: a snapshot every ~1/SnapshotsPerReader of the stream, described at once (read while the writer writes)
        // and again after the writer is done (nothing the writer did later may show through).
        List<(CacheSnapshot Snapshot, string Content)> Read()
        {
            var taken = new List<(CacheSnapshot, string)>();
            long step = events.Count / SnapshotsPerReader;
            long next = -1;
            readersRunning.Signal();
            while (!Volatile.Read(ref writerDone) && taken.Count < SnapshotsPerReader * 2)
            {
                CacheSnapshot snapshot = cache.Snapshot();
                bool atHalf = snapshot.Position >= half - 1 && !halfSeen.IsSet;
                if (snapshot.Position >= next || atHalf)
                {
                    taken.Add((snapshot, CacheContent.Describe(snapshot)));
                    next = snapshot.Position + step;
                    if (atHalf)
                    {
                        halfSeen.Set();
                    }
                }
                else
                {
                    Thread.Yield();
                }
            }

            return taken;
        }

        Task<List<(CacheSnapshot, string)>> readerA = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
        Task<List<(CacheSnapshot, string)>> readerB = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
        Task writer = Task.Factory.StartNew(
            () =>
            {
                Assert.True(readersRunning.Wait(Guard), "readers did not start");
                for (int i = 0; i < events.Count; i++)
                {
                    if (i == half)
                    {
                        // Guarantees at least one snapshot in the middle of the stream, whatever the scheduler does.
                        Assert.True(halfSeen.Wait(Guard), "no reader took a snapshot at the half-way point");
                    }

                    cache.ApplyDispatch(events[i].Type, events[i].Data, i);
                }

                Volatile.Write(ref writerDone, true);
            },
            TaskCreationOptions.LongRunning);
        await writer.WaitAsync(Guard);
        List<(CacheSnapshot Snapshot, string Content)> taken = [.. await readerA.WaitAsync(Guard), .. await readerB.WaitAsync(Guard)];

        Assert.Equal(0, cache.MalformedEvents);
        Assert.Contains(taken, t => t.Snapshot.Position > 0 && t.Snapshot.Position < events.Count - 1);
        taken.Sort((a, b) => a.Snapshot.Position.CompareTo(b.Snapshot.Position));

        // The reference: one fresh cache replaying the stream, described at each snapshot's position.
        var reference = new ShardCache(0, CacheOptions.All());
        long applied = -1;
        string expected = CacheContent.Describe(reference.Snapshot());
        foreach ((CacheSnapshot snapshot, string content) in taken)
        {
            if (applied != snapshot.Position)
            {
                while (applied < snapshot.Position)
                {
                    applied++;
                    reference.ApplyDispatch(events[(int)applied].Type, events[(int)applied].Data, applied);
                }

                expected = CacheContent.Describe(reference.Snapshot());
            }

            Assert.True(expected == content, $"snapshot at {snapshot.Position} differs from the replay of its first events");
            Assert.True(content == CacheContent.Describe(snapshot), $"snapshot at {snapshot.Position} changed after it was taken");
        }
    }

    /// <summary>READY, every GUILD_CREATE, then the Simulator's live mix (members, presences, voice, channels, roles, guild outages, messages).</summary>
    private static List<(byte[] Type, byte[] Data)> GenerateStream()
    {
        var options = new SimulatorOptions { ShardCount = 1, GuildCount = 6, MembersPerGuild = 300, Seed = 17 };
        SimulatorState state = new DataGenerator(options).Generate();
        ShardData shard = state.Shard(0);
        var events = new List<(byte[], byte[])>(EventCount + 64)
        {
            ("READY"u8.ToArray(), Bytes(ReadyBuilder.Build(state, shard, "session", "ws://127.0.0.1", 0, 1))),
        };
        foreach (GuildData guild in shard.Guilds)
        {
            events.Add(("GUILD_CREATE"u8.ToArray(), GuildCreate(guild, state)));
        }

        var generator = new EventGenerator(shard, state.BotUserId);
        var live = new List<LiveEvent>();
        while (events.Count < EventCount)
        {
            live.Clear();
            Assert.True(generator.Next(GatewayIntents.All, 8, live) > 0);
            foreach (LiveEvent ev in live)
            {
                events.Add((Encoding.UTF8.GetBytes(ev.Type), ev.GuildCreate is { } guild ? GuildCreate(guild, state) : ev.Data));
            }
        }

        return events;
    }

    private static byte[] GuildCreate(GuildData guild, SimulatorState state) =>
        Bytes(GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId));

    private static byte[] Bytes(JsonObject obj) => Encoding.UTF8.GetBytes(obj.ToJsonString());
}
