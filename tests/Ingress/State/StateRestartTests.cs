using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress;
using GatewayProxy.Cache;
using GatewayProxy.Ingress.State;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Ingress.State;

/// <summary>ShardManager with a state file against the Simulator: stop saves, start RESUMEs with the cache restored; a bad file is one log line and a normal IDENTIFY.</summary>
public sealed class StateRestartTests
{
    private const int StateLogFirst = 60;
    private const int StateLogLast = 65;

    [Fact]
    public async Task A_saved_state_resumes_every_shard_with_its_cache_instead_of_identifying()
    {
        string dir = Directory.CreateTempSubdirectory("gp-state-").FullName;
        try
        {
            await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(IngressTestKit.SimulatorDefaults(shards: 2, guilds: 8));
            IngressOptions options = IngressTestKit.OptionsFor(simulator);
            options.StateFile = Path.Combine(dir, "state.bin");
            var firstLog = new RecordingLogger();
            ShardManager first = await ShardManager.StartAsync(options, firstLog, CancellationToken.None);
            await FillAndStopAsync(simulator, first, events: 20);
            Assert.True(File.Exists(options.StateFile));
            Assert.Equal(["State file " + options.StateFile + ": none; every shard identifies", "State file " + options.StateFile + ": saved 2 of 2 shards (8 guilds, " + new FileInfo(options.StateFile).Length + " bytes)"], firstLog.LinesWithIds(StateLogFirst, StateLogLast));

            int identifies = simulator.IdentifyCount;
            int[] sentBefore = [simulator.GetSentDispatches(0).Count, simulator.GetSentDispatches(1).Count];
            await simulator.EmitEventsAsync(0, 7); // missed while the proxy is down: Discord replays them on RESUME
            await simulator.EmitEventsAsync(1, 7);
            simulator.HoldResumes();
            options.Metrics = Metrics.NewCustomRegistry();
            var secondLog = new RecordingLogger();
            await using ShardManager second = await ShardManager.StartAsync(options, secondLog, CancellationToken.None);

            // Served at once: ready, same session, cache identical to the one saved, before Discord answered the RESUME.
            Assert.False(File.Exists(options.StateFile), "a loaded state file must not be reused after a crash");
            List<string> lines = secondLog.LinesWithIds(StateLogFirst, StateLogLast);
            Assert.Single(lines);
            Assert.Contains("restored 2 shards (8 guilds", lines[0], StringComparison.Ordinal);
            for (int id = 0; id < 2; id++)
            {
                Shard before = first.GetShard(id)!;
                Shard after = second.GetShard(id)!;
                Assert.Equal(before.Ring.Cursor, before.Cache.Position); // the cache applied every event it was saved with
                Assert.True(after.IsReady);
                Assert.Equal(before.SessionId, after.SessionId);
                Assert.Equal(before.UpstreamSequence, after.UpstreamSequence);
                CacheAssert.SameContent(before.Cache.Snapshot(), after.Cache.Snapshot());
            }

            await IngressTestKit.WaitUntilAsync(() => simulator.HeldResumes == 2, () => $"{simulator.HeldResumes} RESUMEs held");
            simulator.ReleaseResumes();
            await IngressTestKit.WaitUntilAsync(
                () => simulator.ResumeCount == 2 && second.Shards.All(s => s.State == ShardState.Connected),
                () => $"resumes {simulator.ResumeCount}, states {string.Join(", ", second.Shards.Select(s => s.Status))}");
            Assert.Equal(identifies, simulator.IdentifyCount);
            for (int id = 0; id < 2; id++)
            {
                // The stop was quiet and the ring had caught up: the saved sequence is the last one Discord sent before it.
                SavedSequenceIsLastSent(simulator, id, sentBefore[id]);
                Shard shard = second.GetShard(id)!;
                IReadOnlyList<SentDispatch> sent = simulator.GetSentDispatches(id);
                await IngressTestKit.WaitUntilAsync(() => shard.Ring.Cursor + 1 == sent.Count - sentBefore[id], () => $"shard {id}: ring {shard.Ring.Cursor + 1}");
                List<byte[]> ring = IngressTestKit.RingPayloads(shard.Ring);
                for (int i = 0; i < ring.Count; i++)
                {
                    Assert.Equal(sent[sentBefore[id] + i].Payload, ring[i]);
                }

                Assert.Equal(8, ring.Count); // 7 replayed events and RESUMED, each once
                Assert.Equal("RESUMED", sent[^1].Type);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("truncated", StateFileStatus.Truncated)]
    [InlineData("flipped byte", StateFileStatus.ChecksumMismatch)]
    [InlineData("old version", StateFileStatus.VersionMismatch)]
    [InlineData("stale", StateFileStatus.Stale)]
    [InlineData("wrong magic", StateFileStatus.BadMagic)]
    [InlineData("other shard range", StateFileStatus.ShardMismatch)]
    public async Task A_bad_state_file_is_logged_once_and_every_shard_identifies(string damage, StateFileStatus reason)
    {
        string dir = Directory.CreateTempSubdirectory("gp-state-").FullName;
        try
        {
            await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(IngressTestKit.SimulatorDefaults(shards: 2, guilds: 4));
            IngressOptions options = IngressTestKit.OptionsFor(simulator);
            options.StateFile = Path.Combine(dir, "state.bin");
            await FillAndStopAsync(simulator, await ShardManager.StartAsync(options, new RecordingLogger(), CancellationToken.None), events: 5);
            Damage(options.StateFile, damage);
            if (damage == "other shard range")
            {
                options.ShardStart = 1;
            }

            int identifies = simulator.IdentifyCount;
            options.Metrics = Metrics.NewCustomRegistry();
            var log = new RecordingLogger();
            await using ShardManager second = await ShardManager.StartAsync(options, log, CancellationToken.None);
            List<string> lines = log.LinesWithIds(StateLogFirst, StateLogLast);
            Assert.True(lines.Count == 1, log.ToString());
            Assert.StartsWith($"State file {options.StateFile} ignored ({reason}: ", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("); every shard identifies", lines[0], StringComparison.Ordinal);

            foreach (Shard shard in second.Shards)
            {
                await IngressTestKit.WaitUntilAsync(() => shard.IsReady, () => $"shard {shard.Id}: {shard.Status}");
            }

            Assert.Equal(identifies + second.Shards.Count, simulator.IdentifyCount);
            Assert.Equal(0, simulator.ResumeCount);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_session_Discord_will_not_resume_falls_back_to_identify()
    {
        string dir = Directory.CreateTempSubdirectory("gp-state-").FullName;
        try
        {
            SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 3);
            sim.ReplayBufferSize = 4;
            await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(sim);
            IngressOptions options = IngressTestKit.OptionsFor(simulator);
            options.StateFile = Path.Combine(dir, "state.bin");
            ShardManager first = await ShardManager.StartAsync(options, new RecordingLogger(), CancellationToken.None);
            await FillAndStopAsync(simulator, first, events: 3);
            string oldSession = first.GetShard(0)!.SessionId!;
            await simulator.EmitEventsAsync(0, 10); // more than the replay buffer holds: the RESUME is refused with op 9 false

            options.Metrics = Metrics.NewCustomRegistry();
            await using ShardManager second = await ShardManager.StartAsync(options, new RecordingLogger(), CancellationToken.None);
            Shard shard = second.GetShard(0)!;
            await IngressTestKit.WaitUntilAsync(
                () => simulator.IdentifyCount == 2 && shard.IsReady && shard.SessionId is not null && shard.SessionId != oldSession,
                () => $"identifies {simulator.IdentifyCount}, {shard.Status}, session {shard.SessionId}");
            Assert.Equal(0, simulator.ResumeCount);
            Assert.Contains(simulator.GetReceivedCommands(), c => c.Op == 6); // a RESUME's shard is unknown until it succeeds
            Assert.Equal(simulator.State.GetGuildIds(0).Count, shard.Cache.Snapshot().GuildCount);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void SavedSequenceIsLastSent(DiscordSimulator simulator, int shard, int sentBefore)
    {
        SentDispatch last = simulator.GetSentDispatches(shard)[sentBefore - 1];
        var resumes = new List<(string?, long)>();
        foreach (GatewayCommandRecord command in simulator.GetReceivedCommands())
        {
            if (command.Op == 6)
            {
                using var json = System.Text.Json.JsonDocument.Parse(command.Payload);
                System.Text.Json.JsonElement d = json.RootElement.GetProperty("d");
                resumes.Add((d.GetProperty("session_id").GetString(), d.GetProperty("seq").GetInt64()));
            }
        }

        Assert.Contains((last.SessionId, last.Seq), resumes);
    }

    /// <summary>Waits until every shard is ready, streams <paramref name="events"/> per shard into the caches, and stops (writing the state file).</summary>
    private static async Task FillAndStopAsync(DiscordSimulator simulator, ShardManager manager, int events)
    {
        foreach (Shard shard in manager.Shards)
        {
            await IngressTestKit.WaitUntilAsync(() => shard.IsReady, () => $"shard {shard.Id}: {shard.Status}");
            await simulator.EmitEventsAsync(shard.Id, events);
            await IngressTestKit.WaitUntilAsync(() => shard.Ring.Cursor + 1 == simulator.GetSentDispatches(shard.Id).Count, () => $"shard {shard.Id}: ring behind");
        }

        await manager.StopAsync(CancellationToken.None);
    }

    private static void Damage(string path, string damage)
    {
        byte[] file = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                file = file[..(file.Length / 2)];
                break;
            case "flipped byte":
                file[StateFile.HeaderSize + ((file.Length - StateFile.HeaderSize) / 2)] ^= 0x20;
                break;
            case "old version":
                file[4] = 0;
                file[5] = 0;
                break;
            case "stale":
                Assert.True(StateFile.TryDecode(file, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), out ProxyState? state, out _, out string detail), detail);
                file = StateFile.Encode(state with { WrittenAt = DateTimeOffset.UtcNow.AddMinutes(-10) });
                break;
            case "wrong magic":
                file[0] = (byte)'{';
                break;
            default:
                break;
        }

        File.WriteAllBytes(path, file);
    }
}
