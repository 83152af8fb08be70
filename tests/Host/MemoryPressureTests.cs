using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>
/// Issue 21's memory pressure done-when, on the real executable with a real GC heap limit (<c>memory_limit_mb</c>): a
/// flood of clients that identify and then read nothing, each backing up a large READY + GUILD_CREATE burst, against a
/// proxy whose heap cannot hold them all. The upstream session never drops, every client the proxy keeps gets its
/// exact event stream, and every client it turns away or cuts is told why.
/// </summary>
public sealed partial class MemoryPressureTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Under_a_client_flood_the_upstream_session_survives_kept_clients_are_whole_and_cut_clients_are_told_why()
    {
        string dir = Directory.CreateTempSubdirectory("gp-memory-").FullName;
        try
        {
            await using DiscordSimulator simulator = await SimulatorClients.StartAsync(o =>
            {
                o.ShardCount = 1;
                o.GuildCount = 24;
                o.MembersPerGuild = 600; // a READY + GUILD_CREATE burst of a few MB per client
                o.EventsPerSecond = 0;
                o.IdentifyInterval = TimeSpan.FromMilliseconds(100);
            });
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), ConfigJson(simulator));
            await using ChildProcess proxy = ProxyProcess.Start(["--config", "config.json", "--port", "0"], dir);
            Uri url = await ProxyUrlAsync(proxy);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var metricsUrl = new Uri($"http://127.0.0.1:{url.Port}/metrics");
            await Poll.UntilAsync(() => Metric(http, metricsUrl, "gateway_shard_status{shard=\"0\"}") == 5, Limit, () => "the shard ready\n" + proxy.Output);

            try
            {
                // Clients that keep up, one per compression; their streams are checked event for event at the end.
                var readers = new List<Reader>();
                foreach (TransportCompression compression in new[] { TransportCompression.None, TransportCompression.ZlibStream, TransportCompression.ZstdStream })
                {
                    readers.Add(new Reader(await ProxyFixture.ConnectIdentifiedAsync(url, simulator.Options.Token, 0, 1, compression)));
                }

                int before = LiveDispatches(simulator).Count;
                simulator.SetRate(100);

                // The flood: clients that identify and then read nothing, many at once, until the proxy turns them away.
                var flood = new List<FloodClient>();
                var refusals = new List<HandshakeRejectedException>();
                var gate = new SemaphoreSlim(24);
                var connecting = new List<Task>();
                var sync = new Lock();
                // From the proxy's first cut on, every flood client reads (a client that reads nothing cannot be told
                // anything: its close frame waits behind its backlog, and the proxy drops it after its close timeout).
                // The proxy refuses (503) and cuts (4000) on the same condition, so the first refusal the flood sees starts the
                // reading at once, before the log line of the first cut has come through.
                bool reading = false;
                void StartReadingLocked()
                {
                    reading = true;
                    foreach (FloodClient client in flood) client.StartReading();
                }

                Task firstCut = proxy.WaitForLineAsync("with 4000: the proxy is low on memory", Limit).ContinueWith(_ =>
                {
                    lock (sync) StartReadingLocked();
                }, TaskScheduler.Default);
                for (int i = 0; i < 400; i++)
                {
                    lock (sync)
                    {
                        if (refusals.Count >= 20) break;
                    }

                    await gate.WaitAsync();
                    connecting.Add(Task.Run(async () =>
                    {
                        try
                        {
                            // The readers' intents: the same events, so the same stream.
                            var client = new FloodClient(await StalledClient.ConnectAsync(url,
                                $"{{\"op\":2,\"d\":{{\"token\":\"{simulator.Options.Token}\",\"properties\":{{}},\"intents\":{SimulatorClients.AllUsefulIntents}}}}}"));
                            lock (sync)
                            {
                                flood.Add(client);
                                if (reading) client.StartReading();
                            }
                        }
                        catch (HandshakeRejectedException e)
                        {
                            lock (sync)
                            {
                                refusals.Add(e);
                                if (!reading) StartReadingLocked();
                            }
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }));
                }

                await Task.WhenAll(connecting);

                // The proxy refuses new sessions and cuts the largest backlogs (or the newest sessions' bursts).
                await firstCut;
                Assert.True(Metric(http, metricsUrl, "gateway_client_disconnects_total{reason=\"low_memory\"}") > 0);
                simulator.SetRate(0);
                List<SentDispatch> all = LiveDispatches(simulator);
                string[] normalized = [.. all.Select(d => Normalized(Encoding.UTF8.GetString(d.Payload)))];
                foreach (FloodClient client in flood) client.SetExpected(normalized);
                List<SentDispatch> sent = [.. all.Skip(before)];
                foreach (Reader reader in readers)
                {
                    List<GatewayMessage> received = await reader.DrainAsync(sent.Count);
                    ProxyFixture.AssertRelayed(sent, received, reader.Client.Guilds.Count + 2);
                }

                foreach (HandshakeRejectedException refusal in refusals)
                {
                    Assert.Equal(503, refusal.Status);
                    Assert.Contains("the proxy is low on memory", refusal.Response, StringComparison.Ordinal);
                }

                // Every flood client: an exact prefix of the stream, then either the rest of it (kept) or a close that says why (cut).
                int cutForMemory = 0;
                int kept = 0;
                foreach (FloodClient client in flood)
                {
                    (List<GatewayMessage> messages, (ushort Code, string Reason)? close) = await client.WaitEndAsync();
                    if (close is { } c)
                    {
                        Assert.True(c.Code >= 4000 && c.Reason.Length > 0, $"a client was closed with {c.Code} \"{c.Reason}\"");
                        if (c.Reason == "the proxy is low on memory")
                        {
                            Assert.Equal(4000, c.Code);
                            cutForMemory++;
                        }
                    }

                    AssertExactStream(messages, all, complete: close is null);
                    if (close is null) kept++;
                    client.Dispose();
                }

                output.WriteLine($"flood: {flood.Count} admitted, {refusals.Count} refused with 503, {cutForMemory} cut with 4000 \"the proxy is low on memory\", "
                    + $"{kept} kept to the end; {sent.Count} live events checked per reader");
                Assert.True(cutForMemory > 0, "no flood client read a 4000 \"the proxy is low on memory\" close");
                Assert.Equal(1, simulator.IdentifyCount);
                Assert.Equal(0, simulator.ResumeCount);
                Assert.Equal(0, SumMetric(http, metricsUrl, "gateway_upstream_reconnects_total{"));
                Assert.DoesNotContain("OutOfMemoryException", proxy.Output, StringComparison.Ordinal);
                Assert.Contains("Low on memory", proxy.Output, StringComparison.Ordinal);
                foreach (Reader reader in readers) await reader.DisposeAsync();
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                // What the proxy said is the diagnosis (a real OutOfMemoryException, a cut, a crash).
                string output = proxy.Output;
                throw new InvalidOperationException(e.Message + "\nproxy output (tail):\n" + output[Math.Max(0, output.Length - 20_000)..], e);
            }
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
          "memory_limit_mb": 160,
          "ring_memory_limit_mb": 32,
          "ring_size": 16384,
          "backpressure": 16384,
          "upstream": { "api_base_url": "{{simulator.ApiBaseUrl.ToString().TrimEnd('/')}}", "compression": "zlib-stream" }
        }
        """;

    /// <summary>The current upstream session's dispatches, READY and RESUMED left out (what the ring holds, in order).</summary>
    private static List<SentDispatch> LiveDispatches(DiscordSimulator simulator)
    {
        IReadOnlyList<SentDispatch> sent = simulator.GetSentDispatches(0);
        return [.. sent.Where(d => d.SessionId == sent[^1].SessionId && d.Type is not ("READY" or "RESUMED"))];
    }

    /// <summary>The client's live dispatches (after READY and its guild burst) are, payload for payload, a run of the
    /// simulator's (to the end when <paramref name="complete"/>), each re-sequenced one above the previous.</summary>
    private static void AssertExactStream(List<GatewayMessage> messages, List<SentDispatch> all, bool complete)
    {
        List<GatewayMessage> live = LiveOf(messages);
        if (live.Count == 0)
        {
            Assert.False(complete, "a kept client got no live event");
            return;
        }

        int start = StartOf(live, [.. all.Select(d => Normalized(Encoding.UTF8.GetString(d.Payload)))]);
        Assert.True(start >= 0, "a client's first live events are not a run the simulator sent: " + live[0]);
        List<SentDispatch> expected = [.. all.Skip(start).Take(complete ? int.MaxValue : live.Count)];
        ProxyFixture.AssertRelayed(expected, live, live[0].Seq!.Value);
    }

    /// <summary>The dispatches after READY and the guild burst that follows it (none before READY).</summary>
    private static List<GatewayMessage> LiveOf(List<GatewayMessage> messages)
    {
        GatewayMessage? ready = messages.FirstOrDefault(m => m.Type == "READY");
        if (ready is null) return [];
        long lastBurstSeq = 1 + ready.Data.GetProperty("guilds").GetArrayLength();
        return [.. messages.Where(m => m.Op == 0 && m.Seq > lastBurstSeq)];
    }

    /// <summary>Where in the simulator's dispatches the client's live events begin: the first index whose run matches the
    /// client's first events (several, since two events may differ only in their sequence); -1 when none does.</summary>
    private static int StartOf(List<GatewayMessage> live, string[] all)
    {
        int run = Math.Min(live.Count, 16);
        var first = new string[run];
        for (int i = 0; i < run; i++) first[i] = Normalized(live[i].ToString());
        for (int k = 0; k + run <= all.Length; k++)
        {
            bool match = true;
            for (int i = 0; i < run && match; i++) match = first[i] == all[k + i];
            if (match) return k;
        }

        return -1;
    }

    private static string Normalized(string json) => SeqPattern().Replace(json, "\"s\":0");


    private static double Metric(HttpClient http, Uri url, string name)
    {
        string text = http.GetStringAsync(url).GetAwaiter().GetResult();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)) return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
        }

        return double.NaN;
    }

    private static double SumMetric(HttpClient http, Uri url, string prefix)
    {
        string text = http.GetStringAsync(url).GetAwaiter().GetResult();
        double sum = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)) sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return sum;
    }

    private static async Task<Uri> ProxyUrlAsync(ChildProcess proxy)
    {
        string line = await proxy.WaitForLineAsync("serving shards", Limit);
        Match port = PortPattern().Match(line);
        Assert.True(port.Success, line);
        return new Uri("ws://127.0.0.1:" + port.Groups[1].Value);
    }

    [GeneratedRegex(@"ws://127\.0\.0\.1:(\d+)")]
    private static partial Regex PortPattern();

    [GeneratedRegex(@"""s"":\d+")]
    private static partial Regex SeqPattern();
}
