using System.Text.Json;
using System.Text.RegularExpressions;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>
/// Issue 7's done-when: the real executable, stopped with SIGTERM while events stream, writes its state file; started
/// again it RESUMEs every shard (no IDENTIFY), serves clients from the restored cache at once, and a bot that reconnects
/// gets every event Discord sent after the saved sequence, once each, in order.
/// </summary>
public sealed partial class RestartTests
{
    private const int Shards = 2;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Sigterm_saves_the_sessions_and_the_restarted_proxy_resumes_them_losing_no_event()
    {
        string dir = Directory.CreateTempSubdirectory("gp-restart-").FullName;
        try
        {
            await using DiscordSimulator simulator = await SimulatorClients.StartAsync(o =>
            {
                o.ShardCount = Shards;
                o.GuildCount = 6;
                o.MaxConcurrency = Shards;
                o.IdentifyInterval = TimeSpan.FromMilliseconds(100);
            });
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), ConfigJson(simulator));
            string stateFile = Path.Combine(dir, "state.bin");

            // 1. A running proxy, a bot on every shard, events streaming; SIGTERM in the middle of the stream.
            var beforeStop = new List<List<GatewayMessage>>();
            int[] firstGuilds = new int[Shards];
            await using (ChildProcess first = ProxyProcess.Start(["--config", "config.json", "--port", "0"], dir))
            {
                Uri url = await ProxyUrlAsync(first);
                var bots = new List<ProxyClient>();
                try
                {
                    for (int shard = 0; shard < Shards; shard++)
                    {
                        bots.Add(await ProxyFixture.ConnectIdentifiedAsync(url, simulator.Options.Token, shard, Shards));
                        firstGuilds[shard] = bots[shard].Guilds.Count;
                    }

                    simulator.SetRate(40);
                    foreach (ProxyClient bot in bots)
                    {
                        beforeStop.Add(await bot.ReceiveDispatchesAsync(10));
                    }

                    first.SendSigterm();
                    Assert.Equal(0, await first.WaitForExitAsync(Limit));
                    for (int shard = 0; shard < Shards; shard++)
                    {
                        beforeStop[shard].AddRange(await DrainDispatchesAsync(bots[shard]));
                    }
                }
                finally
                {
                    foreach (ProxyClient bot in bots)
                    {
                        await bot.DisposeAsync();
                    }
                }

                Assert.True(File.Exists(stateFile), "no state file after SIGTERM:\n" + first.Output);
                Assert.Contains($"saved {Shards} of {Shards} shards", first.Output, StringComparison.Ordinal);
            }

            Assert.Equal(Shards, simulator.IdentifyCount);
            Assert.Equal(0, simulator.ResumeCount);

            // 2. Discord keeps sending while the proxy is down (its sessions buffer the events for a resume).
            int[] sentAtExit = [.. Enumerable.Range(0, Shards).Select(s => simulator.GetSentDispatches(s).Count)];
            await WaitUntilAsync(() => Enumerable.Range(0, Shards).All(s => simulator.GetSentDispatches(s).Count >= sentAtExit[s] + 10), "events sent while the proxy is down");
            // Hold Discord's answer to the RESUMEs, so the bots below connect before the replay and must get all of it live.
            simulator.HoldResumes();

            // 3. The restarted proxy: RESUMEs, no IDENTIFY; bots are served at once from the restored cache.
            await using ChildProcess second = ProxyProcess.Start(["--config", "config.json", "--port", "0"], dir);
            Uri restartedUrl = await ProxyUrlAsync(second);
            Assert.Contains($"restored {Shards} shards", second.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(stateFile), "the state file must be used once");
            var again = new List<ProxyClient>();
            try
            {
                for (int shard = 0; shard < Shards; shard++)
                {
                    ProxyClient bot = await ProxyFixture.ConnectIdentifiedAsync(restartedUrl, simulator.Options.Token, shard, Shards);
                    Assert.NotEmpty(bot.Guilds);
                    again.Add(bot);
                }

                await WaitUntilAsync(() => simulator.HeldResumes == Shards, $"{Shards} RESUMEs (held: {simulator.HeldResumes})");
                simulator.ReleaseResumes();
                await WaitUntilAsync(() => simulator.ResumeCount == Shards, "the RESUMEs to be answered");
                Assert.Equal(Shards, simulator.IdentifyCount);

                // Let the live stream run past the replay, then stop it and compare everything since the saved sequence.
                var firstEvents = new List<GatewayMessage>();
                foreach (ProxyClient bot in again)
                {
                    firstEvents.AddRange(await bot.ReceiveDispatchesAsync(1));
                }

                simulator.SetRate(0);
                Dictionary<string, long> resumedAt = ResumedSessions(simulator);
                for (int shard = 0; shard < Shards; shard++)
                {
                    IReadOnlyList<SentDispatch> sent = simulator.GetSentDispatches(shard);
                    string session = sent[^1].SessionId;
                    Assert.True(resumedAt.TryGetValue(session, out long savedSeq), $"shard {shard}: session {session} was not resumed");
                    List<SentDispatch> since = [.. sent.Where(d => d.SessionId == session && d.Seq > savedSeq && d.Type != "RESUMED")];
                    Assert.True(since.Count >= 10, $"shard {shard}: only {since.Count} events since the saved sequence {savedSeq}");
                    ProxyClient bot = again[shard];
                    // What the bot got from the first proxy: a gap-free run of Discord's events, none after the saved sequence.
                    long lastBefore = AssertContiguousRun(sent, session, beforeStop[shard], firstSeq: firstGuilds[shard] + 2);
                    Assert.True(lastBefore <= savedSeq, $"shard {shard}: the bot got event {lastBefore} before the restart, but the proxy saved {savedSeq}");
                    List<GatewayMessage> received = [firstEvents[shard], .. await bot.ReceiveDispatchesAsync(since.Count - 1)];
                    ProxyFixture.AssertRelayed(since, received, firstSeq: bot.Guilds.Count + 2);
                }
            }
            finally
            {
                foreach (ProxyClient bot in again)
                {
                    await bot.DisposeAsync();
                }
            }

            second.SendSigterm();
            Assert.Equal(0, await second.WaitForExitAsync(Limit));
            Assert.True(File.Exists(stateFile), "no state file after the second SIGTERM:\n" + second.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_damaged_state_file_is_one_log_line_and_the_executable_identifies_every_shard()
    {
        string dir = Directory.CreateTempSubdirectory("gp-restart-").FullName;
        try
        {
            await using DiscordSimulator simulator = await SimulatorClients.StartAsync(o =>
            {
                o.ShardCount = Shards;
                o.MaxConcurrency = Shards;
            });
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), ConfigJson(simulator));
            await File.WriteAllBytesAsync(Path.Combine(dir, "state.bin"), "GPXS\u0001"u8.ToArray());

            await using ChildProcess proxy = ProxyProcess.Start(["--config", "config.json", "--port", "0"], dir);
            Uri url = await ProxyUrlAsync(proxy);
            for (int shard = 0; shard < Shards; shard++)
            {
                await using ProxyClient bot = await ProxyFixture.ConnectIdentifiedAsync(url, simulator.Options.Token, shard, Shards);
                Assert.NotEmpty(bot.Guilds);
            }

            Assert.Equal(Shards, simulator.IdentifyCount);
            Assert.Equal(0, simulator.ResumeCount);
            string[] stateLines = [.. proxy.Output.Split('\n').Where(l => l.Contains("State file", StringComparison.Ordinal))];
            Assert.True(stateLines.Length == 1, proxy.Output);
            Assert.Contains("ignored (Truncated: truncated: 5 bytes", stateLines[0], StringComparison.Ordinal);
            proxy.SendSigterm();
            Assert.Equal(0, await proxy.WaitForExitAsync(Limit));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string ConfigJson(DiscordSimulator simulator) => $$"""
        {
          "token": "{{simulator.Options.Token}}",
          "intents": 33539,
          "bind": "127.0.0.1",
          "log_level": "info",
          "state_file": "state.bin",
          "upstream": { "api_base_url": "{{simulator.ApiBaseUrl.ToString().TrimEnd('/')}}", "compression": "zlib-stream" }
        }
        """;

    /// <summary>Every dispatch the bot still receives until its connection ends.</summary>
    private static async Task<List<GatewayMessage>> DrainDispatchesAsync(ProxyClient bot)
    {
        var dispatches = new List<GatewayMessage>();
        try
        {
            while (true)
            {
                GatewayMessage message = await bot.Client.ReceiveAsync(Limit);
                if (message.Op == 0)
                {
                    dispatches.Add(message);
                }
            }
        }
        catch (GatewayClosedException)
        {
            // The proxy closed the bot's connection as it stopped.
        }

        return dispatches;
    }

    /// <summary>Asserts <paramref name="received"/> is an unbroken run of the session's dispatches; returns the upstream sequence of its last one.</summary>
    private static long AssertContiguousRun(IReadOnlyList<SentDispatch> sent, string session, List<GatewayMessage> received, long firstSeq)
    {
        List<SentDispatch> live = [.. sent.Where(d => d.SessionId == session && d.Type is not ("READY" or "RESUMED"))];
        int start = live.FindIndex(d => Spliced(d, firstSeq).AsSpan().SequenceEqual(received[0].Json));
        Assert.True(start >= 0, $"the bot's first event is not one Discord sent: {received[0]}");
        Assert.True(start + received.Count <= live.Count, "the bot got more events than Discord sent");
        ProxyFixture.AssertRelayed(live.GetRange(start, received.Count), received, firstSeq);
        return live[start + received.Count - 1].Seq;
    }

    private static byte[] Spliced(SentDispatch dispatch, long clientSeq)
    {
        Assert.True(EnvelopeScanner.TryScan(dispatch.Payload, out Envelope envelope, out _));
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SequenceSplice.Write(output, dispatch.Payload, envelope, clientSeq);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Waits for the proxy's "serving" line and returns the client URL with the port it bound.</summary>
    private static async Task<Uri> ProxyUrlAsync(ChildProcess proxy)
    {
        string line = await proxy.WaitForLineAsync("serving shards", Limit);
        Match port = PortPattern().Match(line);
        Assert.True(port.Success, line);
        return new Uri("ws://127.0.0.1:" + port.Groups[1].Value);
    }

    /// <summary>Session id → the sequence each RESUME the Simulator received asked to continue after.</summary>
    private static Dictionary<string, long> ResumedSessions(DiscordSimulator simulator)
    {
        var sessions = new Dictionary<string, long>();
        foreach (GatewayCommandRecord command in simulator.GetReceivedCommands())
        {
            if (command.Op == 6)
            {
                using var json = JsonDocument.Parse(command.Payload);
                JsonElement d = json.RootElement.GetProperty("d");
                sessions[d.GetProperty("session_id").GetString()!] = d.GetProperty("seq").GetInt64();
            }
        }

        return sessions;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, Limit, () => what);

    [GeneratedRegex(@"ws://127\.0\.0\.1:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex PortPattern();
}
