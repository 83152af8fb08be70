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
public sealed partial class MemoryPressureTests
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

            // Clients that keep up, one per compression; their streams are checked event for event at the end.
            var readers = new List<Reader>();
            foreach (TransportCompression compression in new[] { TransportCompression.None, TransportCompression.ZlibStream, TransportCompression.ZstdStream })
            {
                readers.Add(new Reader(await ProxyFixture.ConnectIdentifiedAsync(url, simulator.Options.Token, 0, 1, compression)));
            }

            int before = LiveDispatches(simulator).Count;
            simulator.SetRate(100);

            // The flood: clients that identify and then read nothing, many at once, until the proxy turns them away.
            var stalled = new List<StalledClient>();
            var refusals = new List<HandshakeRejectedException>();
            var gate = new SemaphoreSlim(24);
            var flood = new List<Task>();
            var sync = new Lock();
            for (int i = 0; i < 400; i++)
            {
                await gate.WaitAsync();
                flood.Add(Task.Run(async () =>
                {
                    try
                    {
                        StalledClient client = await StalledClient.ConnectAndIdentifyAsync(url, simulator.Options.Token);
                        lock (sync) stalled.Add(client);
                    }
                    catch (HandshakeRejectedException e)
                    {
                        lock (sync) refusals.Add(e);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                lock (sync)
                {
                    if (refusals.Count >= 20) break;
                }
            }

            await Task.WhenAll(flood);
            Assert.True(refusals.Count > 0, $"no client was refused; {stalled.Count} admitted\n{proxy.Output}");
            foreach (HandshakeRejectedException refusal in refusals)
            {
                Assert.Equal(503, refusal.Status);
                Assert.Contains("the proxy is low on memory", refusal.Response, StringComparison.Ordinal);
            }

            // The clients already in hold their bursts; the proxy cuts the largest backlogs until it is back under its limit.
            await Poll.UntilAsync(() => Metric(http, metricsUrl, "gateway_client_disconnects_total{reason=\"low_memory\"}") > 0, Limit,
                () => "a client cut for memory\n" + proxy.Output);
            simulator.SetRate(0);
            List<SentDispatch> sent = [.. LiveDispatches(simulator).Skip(before)];

            foreach (Reader reader in readers)
            {
                List<GatewayMessage> received = await reader.DrainAsync(sent.Count);
                ProxyFixture.AssertRelayed(sent, received, reader.Client.Guilds.Count + 2);
            }

            // Every flood client: an exact prefix of the stream, then either the rest of it (kept) or a close that says why (cut).
            int cutForMemory = 0;
            IReadOnlyList<SentDispatch> all = LiveDispatches(simulator);
            foreach (StalledClient client in stalled)
            {
                (List<GatewayMessage> messages, (ushort Code, string Reason)? close) = await DrainStalledAsync(client, all);
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
                client.Dispose();
            }

            Assert.True(cutForMemory > 0, "no flood client read a 4000 \"the proxy is low on memory\" close");
            Assert.Equal(1, simulator.IdentifyCount);
            Assert.Equal(0, simulator.ResumeCount);
            Assert.Equal(0, SumMetric(http, metricsUrl, "gateway_upstream_reconnects_total{"));
            Assert.DoesNotContain("OutOfMemoryException", proxy.Output, StringComparison.Ordinal);
            Assert.Contains("Low on memory", proxy.Output, StringComparison.Ordinal);
            foreach (Reader reader in readers) await reader.DisposeAsync();
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

    /// <summary>Reads a flood client to its end: every message, until its close frame, or until it has the last live
    /// event the simulator sent (a client the proxy kept).</summary>
    private static async Task<(List<GatewayMessage> Messages, (ushort Code, string Reason)? Close)> DrainStalledAsync(StalledClient client, IReadOnlyList<SentDispatch> all)
    {
        var messages = new List<GatewayMessage>();
        string last = Encoding.UTF8.GetString(all[^1].Payload);
        while (await client.ReadMessageAsync(Limit) is { } text)
        {
            messages.Add(new GatewayMessage(Encoding.UTF8.GetBytes(text), binaryFrame: false));
            if (SameEvent(text, last)) return (messages, null);
        }

        return (messages, client.Close);
    }

    /// <summary>The client's live dispatches (after READY and its guild burst) are, payload for payload, a run of the
    /// simulator's (to the end when <paramref name="complete"/>), each re-sequenced one above the previous.</summary>
    private static void AssertExactStream(List<GatewayMessage> messages, IReadOnlyList<SentDispatch> all, bool complete)
    {
        GatewayMessage? ready = messages.FirstOrDefault(m => m.Type == "READY");
        if (ready is null)
        {
            Assert.False(complete, "a kept client got no READY");
            return;
        }

        long lastBurstSeq = 1 + ready.Data.GetProperty("guilds").GetArrayLength();
        var live = messages.Where(m => m.Op == 0 && m.Seq > lastBurstSeq).ToList();
        if (live.Count == 0)
        {
            Assert.False(complete, "a kept client got no live event");
            return;
        }

        string first = live[0].ToString();
        int start = -1;
        for (int k = all.Count - 1; k >= 0 && start < 0; k--)
        {
            if (SameEvent(first, Encoding.UTF8.GetString(all[k].Payload))) start = k;
        }

        Assert.True(start >= 0, "a client's first live event is not one the simulator sent: " + first);
        List<SentDispatch> expected = [.. all.Skip(start).Take(complete ? int.MaxValue : live.Count)];
        ProxyFixture.AssertRelayed(expected, live, live[0].Seq!.Value);
    }

    /// <summary>Two payloads that differ only in their <c>s</c> value.</summary>
    private static bool SameEvent(string a, string b) => SeqPattern().Replace(a, "\"s\":0") == SeqPattern().Replace(b, "\"s\":0");

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

    /// <summary>A client that keeps up: reads in the background from the start, heartbeating, so the proxy never has a backlog for it.</summary>
    private sealed class Reader : IAsyncDisposable
    {
        private readonly List<GatewayMessage> _dispatches = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Reader(ProxyClient client)
        {
            Client = client;
            _loop = Task.Run(ReadAsync);
        }

        public ProxyClient Client { get; }

        /// <summary>Waits until <paramref name="count"/> live dispatches were read and returns them.</summary>
        public async Task<List<GatewayMessage>> DrainAsync(int count)
        {
            await Poll.UntilAsync(() => Count >= count || _loop.IsCompleted, Limit, () => $"a reader to get {count} events (has {Count})");
            await _stop.CancelAsync();
            await _loop;
            lock (_dispatches) return [.. _dispatches];
        }

        private int Count
        {
            get
            {
                lock (_dispatches) return _dispatches.Count;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await Client.DisposeAsync();
            _stop.Dispose();
        }

        private async Task ReadAsync()
        {
            long nextBeat = Environment.TickCount64 + 10_000;
            while (!_stop.IsCancellationRequested)
            {
                if (Environment.TickCount64 >= nextBeat)
                {
                    await Client.Client.HeartbeatAsync();
                    nextBeat = Environment.TickCount64 + 10_000;
                }

                GatewayMessage message;
                try
                {
                    message = await Client.Client.ReceiveAsync(TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    continue;
                }

                if (message.Op == 0)
                {
                    lock (_dispatches) _dispatches.Add(message);
                }
            }
        }
    }
}
