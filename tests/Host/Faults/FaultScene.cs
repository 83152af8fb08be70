using GatewayProxy.Tests.Ingress.Support;
using System.Runtime.CompilerServices;
using System.Text;
using GatewayProxy.Host.Logging;
using GatewayProxy.Ingress;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Ring;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Ingress;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>A proxy in front of a faulty Simulator with clients that come, go, drop and resume; and the end-of-test check
/// that every client got exactly the Simulator's dispatches after its snapshot, in order, with its sequence rising by one.</summary>
internal sealed partial class FaultScene : IAsyncDisposable
{
    private readonly List<TrackedClient> _clients = [];

    // Every per-client object the proxy ever held during the scene, weakly: all must be collectable at the end.
    private readonly List<WeakReference> _proxyObjects = [];
    private readonly ConditionalWeakTable<object, object?> _seen = [];

    private readonly StringWriter _log;
    private readonly TextWriter _logWriter;

    private FaultScene(ProxyFixture fixture, int seed, StringWriter log, TextWriter logWriter)
    {
        Fixture = fixture;
        Random = new Random(seed);
        _log = log;
        _logWriter = logWriter;
    }

    public ProxyFixture Fixture { get; }

    public DiscordSimulator Simulator => Fixture.Simulator;

    /// <summary>The scenario's only source of randomness: a run is repeatable from its seed.</summary>
    public Random Random { get; }

    public IReadOnlyList<TrackedClient> Clients => _clients;

    public static async Task<FaultScene> StartAsync(int seed, Action<SimulatorOptions>? simulator = null, Action<DiscordSimulator>? beforeProxy = null)
    {
        // The proxy's log, for failure messages: what the shards went through.
        var log = new StringWriter();
        // Synchronized writers lock on themselves: reading under that lock never sees a half-written line.
        TextWriter logWriter = TextWriter.Synchronized(log);
        ProxyFixture fixture = await ProxyFixture.StartAsync(o =>
            {
                o.Seed = seed;
                simulator?.Invoke(o);
            },
            extraConfig: ", \"ring_size\": 16384",
            log: new ProxyLog(logWriter, logWriter, ProxyLogLevel.Info),
            beforeProxy: beforeProxy,
            tuneIngress: o =>
            {
                o.ReidentifyDelay = (TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(250);
                o.RestRetryDelay = TimeSpan.FromMilliseconds(20);
                // The end-of-scene check reads every ring whole, from the first event.
                o.RingRetentionFollowsSessions = false;
            },
            // Clients here do not heartbeat; a slow box must not turn that into a 4009.
            tuneEgress: o => o.HeartbeatGrace = TimeSpan.FromMinutes(10));
        return new FaultScene(fixture, seed, log, logWriter);
    }

    public Shard ShardOf(int shard) => Fixture.Proxy.Shards.GetShard(shard)!;

    /// <summary>Polls until <paramref name="condition"/> holds; on timeout fails with what was awaited, the shards' states
    /// and the end of the proxy's log.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, ProxyFixture.WaitLimit, () =>
    {
        string states = string.Join("; ", Fixture.Proxy.Shards.Shards.Select(s => $"shard {s.Id} {s.Status}"));
        string log;
        lock (_logWriter) log = _log.ToString();
        return $"{what} ({states}; Simulator identifies {Simulator.IdentifyCount}, resumes {Simulator.ResumeCount})\n"
            + string.Join('\n', log.Split('\n').TakeLast(40));
    });

    /// <summary>The last <paramref name="lines"/> lines of the proxy's log, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        string log;
        lock (_logWriter) log = _log.ToString();
        return string.Join('\n', log.Split('\n').TakeLast(lines));
    }

    /// <summary>A new client on <paramref name="shard"/>, identified, its READY burst read.</summary>
    public async Task<TrackedClient> ConnectAsync(int shard)
    {
        long floor = ShardOf(shard).Cache.Position;
        ProxyClient client = await Fixture.ConnectIdentifiedAsync(shard);
        var tracked = new TrackedClient(shard, client, floor, ShardOf(shard).Ring.Cursor);
        _clients.Add(tracked);
        TrackProxyObjects();
        return tracked;
    }

    /// <summary>A client on <paramref name="shard"/> behind a relay that then stops reading: to the proxy, a bot that stalls.</summary>
    public async Task<TrackedClient> ConnectStallingAsync(int shard)
    {
        PausableRelay relay = PausableRelay.Start(Fixture.Proxy.LocalEndPoint);
        long floor = ShardOf(shard).Cache.Position;
        ProxyClient client = await Fixture.ConnectIdentifiedAsync(shard, via: relay.Url);
        var tracked = new TrackedClient(shard, client, floor, ShardOf(shard).Ring.Cursor) { Relay = relay };
        _clients.Add(tracked);
        TrackProxyObjects();
        relay.SetPaused(true);
        return tracked;
    }

    /// <summary>Drops a client's TCP connection without a close frame and RESUMEs its session on a new one at the last
    /// sequence it received.</summary>
    public async Task DropAndResumeAsync(TrackedClient client)
    {
        client.Client.Abort();
        await client.CollectAsync(until: null);
        long seq = client.Client.LastSeq ?? client.FirstLiveSeq - 1;
        await client.DisposeConnectionAsync();
        RawGatewayClient next = await RawGatewayClient.ConnectAsync(Fixture.ProxyUrl);
        Assert.Equal(10, (await next.ReceiveAsync(ProxyFixture.WaitLimit)).Op);
        await next.ResumeAsync(Fixture.Token, client.SessionId, seq);
        client.Client = next;
        client.Resumes++;
        TrackProxyObjects();
        // The replay, then RESUMED (left out of Live); INVALID_SESSION fails the test.
        (GatewayMessage resumed, List<GatewayMessage> replay) = await next.ReceiveUntilAsync(m => m.Type == "RESUMED" || m.Op == 9, ProxyFixture.WaitLimit);
        int before = client.Live.Count;
        client.Live.AddRange(replay.Where(m => m.Op == 0));
        client.ResumePoints.Add((before, seq, client.Live.Count - before));
        if (resumed.Op == 0) client.Resumed.Add((client.Live.Count, resumed.Seq));
        Assert.Equal(Array.Empty<string>(), replay.Where(m => m.Op == 9).Select(m => m.ToString()));
    }

    /// <summary>Closes a client with 1000 (its session ends); what it got until then must still be a gapless run.</summary>
    public async Task LeaveAsync(TrackedClient client)
    {
        await client.Client.CloseAsync(1000, "bye");
        await client.CollectAsync(until: null);
        await client.DisposeConnectionAsync();
        client.Left = true;
    }

    /// <summary>Emits events on a shard; returns once the Simulator queued them.</summary>
    public Task EmitAsync(int shard, int count) => Simulator.EmitEventsAsync(shard, count);

    /// <summary>Waits until the proxy's ring holds every dispatch the Simulator sent on <paramref name="shard"/>, RESUMED aside.</summary>
    /// <remarks>RESUMED is sequenced but never replayed (as on Discord): when a connection drops before it is flushed, the
    /// next RESUME skips it, so the Simulator's record holds a RESUMED the proxy could never receive.</remarks>
    public Task WaitCaughtUpAsync(int shard) =>
        WaitUntilAsync(() => RingDispatches(shard).Count >= WithoutResumed(Fixture.AllSentDispatches(shard)).Count,
            $"shard {shard}'s ring to hold every dispatch the Simulator sent");

    /// <summary>The end-of-test invariant, after a last batch of events on every shard.</summary>
    public async Task AssertEveryClientGotExactlyTheSimulatorsDispatchesAsync()
    {
        for (int shard = 0; shard < Fixture.ShardCount; shard++)
        {
            await Simulator.WaitForSessionAsync(shard);
            await EmitAsync(shard, 10);
            await WaitCaughtUpAsync(shard);
            AssertRingIsTheSimulatorsStream(shard);
        }

        foreach (TrackedClient client in _clients)
        {
            // The stalling client reads again: it must catch up completely, or have been told with 4000.
            client.Relay?.SetPaused(false);
        }

        foreach (TrackedClient client in _clients)
        {
            List<(long Position, SentDispatch Sent)> relayable = Relayable(Fixture.AllSentDispatches(client.Shard));
            if (!client.Left)
            {
                if (client.Live.Count == 0) await client.CollectAsync(_ => true);
                if (client.Live.Count == 0)
                {
                    Assert.True(client.CutWith == 4000, $"a client of shard {client.Shard} got no live event and no 4000 (cut with {client.CutWith})");
                    client.Left = true;
                    continue;
                }

                if (!await ReadWholeRunAsync(client, relayable)) continue;
            }

            AssertGaplessRun(client, relayable);
        }
    }

    /// <summary>Closes every client with 1000 and waits until the proxy holds no client connection, session or socket, and until
    /// every connection, output and session it held during the scene is collectable (its memory is back to baseline).</summary>
    public async Task AssertEverythingReleasedAsync()
    {
        foreach (TrackedClient client in _clients)
        {
            if (!client.Left) await LeaveAsync(client);
            if (client.Relay is not null) await client.Relay.DisposeAsync();
        }

        GatewayProxy.Egress.ProxyServer server = Fixture.Proxy.Server;
        int port = Fixture.Proxy.LocalEndPoint.Port;
        await WaitUntilAsync(() => server.OpenConnections == 0 && server.ConnectedClients == 0 && server.SessionCount == 0
            && SocketCensus.OwnedConnections(localPort: port) == 0,
            $"the proxy to release everything: {server.OpenConnections} open, {server.ConnectedClients} clients, {server.SessionCount} sessions, "
            + $"{SocketCensus.OwnedConnections(localPort: port)} sockets");
        // Memory: nothing keeps a gone client's connection, output buffers, compressor or session reachable.
        TrackProxyObjects();
        Assert.True(_proxyObjects.Count >= 3 * _clients.Count, $"{_proxyObjects.Count} per-client objects tracked for {_clients.Count} clients");
        await Poll.UntilAsync(() =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                return _proxyObjects.TrueForAll(o => !o.IsAlive);
            },
            ProxyFixture.WaitLimit,
            () => $"every per-client object of the proxy to be collected: {_proxyObjects.Count(o => o.IsAlive)} of {_proxyObjects.Count} still reachable ("
                + string.Join(", ", _proxyObjects.Select(o => o.Target?.GetType().Name).OfType<string>().Distinct()) + ")");
        // Upstream: exactly one live connection per shard, none leaked by the reconnects.
        int upstreamPort = Simulator.Port;
        await WaitUntilAsync(() => SocketCensus.OwnedConnections(remotePort: upstreamPort) == Fixture.ShardCount,
            $"one upstream socket per shard, found {SocketCensus.OwnedConnections(remotePort: upstreamPort)}");
    }

    /// <summary>Holds, weakly, every connection, output and session the proxy has now (each once).</summary>
    private void TrackProxyObjects()
    {
        foreach (object o in Fixture.Proxy.Server.PerClientObjects())
        {
            if (_seen.TryGetValue(o, out _)) continue;
            _seen.Add(o, null);
            _proxyObjects.Add(new WeakReference(o));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (TrackedClient client in _clients)
        {
            await client.DisposeConnectionAsync();
            if (client.Relay is not null) await client.Relay.DisposeAsync();
        }

        await Fixture.DisposeAsync();
    }

    /// <summary>Every dispatch in the shard's ring except RESUMED (see <see cref="WaitCaughtUpAsync"/>), in order.</summary>
    private List<byte[]> RingDispatches(int shard, List<byte[]>? resumed = null)
    {
        PayloadRing<EventMeta> ring = ShardOf(shard).Ring;
        Assert.True(ring.Cursor < ring.Size, "the ring wrapped; make it bigger for this test");
        var payloads = new List<byte[]>();
        long cursor = ring.Cursor;
        for (long seq = 0; seq <= cursor; seq++)
        {
            byte[] payload = ring.Read(seq, out EventMeta meta).ToArray();
            if (meta.Envelope.Kind == EventKind.Resumed) resumed?.Add(payload);
            else payloads.Add(payload);
        }

        return payloads;
    }

    private static List<SentDispatch> WithoutResumed(List<SentDispatch> sent) => sent.FindAll(d => d.Type != "RESUMED");

    private void AssertRingIsTheSimulatorsStream(int shard)
    {
        List<SentDispatch> all = Fixture.AllSentDispatches(shard);
        List<SentDispatch> sent = WithoutResumed(all);
        var resumed = new List<byte[]>();
        List<byte[]> ring = RingDispatches(shard, resumed);
        Assert.True(sent.Count == ring.Count, $"shard {shard}: the ring holds {ring.Count} dispatches, the Simulator sent {sent.Count} (RESUMED aside)");
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.True(sent[i].Payload.AsSpan().SequenceEqual(ring[i]), $"shard {shard}: ring[{i}] is not the Simulator's {sent[i].Type} s={sent[i].Seq}");
        }

        // Every RESUMED the proxy got is one the Simulator sent (in order), even if some never arrived.
        var sentResumed = all.FindAll(d => d.Type == "RESUMED");
        int next = 0;
        foreach (byte[] payload in resumed)
        {
            while (next < sentResumed.Count && !sentResumed[next].Payload.AsSpan().SequenceEqual(payload)) next++;
            Assert.True(next < sentResumed.Count, $"shard {shard}: a RESUMED in the ring is not one the Simulator sent, in order");
            next++;
        }
    }

    private static List<(long, SentDispatch)> Relayable(List<SentDispatch> sent)
    {
        var list = new List<(long, SentDispatch)>(sent.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            if (sent[i].Type is not ("READY" or "RESUMED")) list.Add((i, sent[i]));
        }

        return list;
    }

    private static void AssertGaplessRun(TrackedClient client, List<(long Position, SentDispatch Sent)> relayable)
    {
        string who = $"client {client.SessionId[..8]} of shard {client.Shard} (resumes at {string.Join(", ", client.ResumePoints)}{(client.Left ? ", left" : "")}; "
            + $"live s {string.Join(",", client.Live.Select(m => m.Seq))})";
        Assert.True(client.Live.Count > 0 || client.Left, who + " received no live event");
        if (client.Live.Count == 0) return;

        // Client sequences: +1 per event, and RESUMED takes one too (Discord sends it with the next s).
        var seqs = new long[client.Live.Count];
        long next = client.FirstLiveSeq;
        int resumedIndex = 0;
        for (int i = 0; i < seqs.Length; i++)
        {
            while (resumedIndex < client.Resumed.Count && client.Resumed[resumedIndex].Before == i)
            {
                Assert.True(client.Resumed[resumedIndex].Seq == next, $"{who}: RESUMED before event {i} has s = {client.Resumed[resumedIndex].Seq}, wanted {next}");
                next++;
                resumedIndex++;
            }

            seqs[i] = next++;
        }

        // Of the starts that fit its whole run, any is what a snapshot in [floor, ceiling] gives (the payloads are equal);
        // when none fits, report against the first payload match.
        int start = ConsistentStart(client, relayable, seqs, exact: !client.Left);
        if (start < 0) start = FindStart(client, relayable, seqs[0]);
        Assert.True(start >= 0, $"{who}: its first live event {client.Live[0]} is not a dispatch the Simulator sent after its snapshot");
        int firstAfterCeiling = relayable.FindIndex(r => r.Position > client.SnapshotCeiling);
        Assert.True(firstAfterCeiling < 0 || start <= firstAfterCeiling, $"{who}: events between its snapshot and its first live event were skipped");

        for (int i = 0; i < client.Live.Count; i++)
        {
            Assert.True(start + i < relayable.Count, $"{who}: received {client.Live.Count - i} events more than the Simulator sent");
            long seq = seqs[i];
            Assert.True(client.Live[i].Seq == seq, $"{who}: event {i} has s = {client.Live[i].Seq}, wanted {seq}");
            byte[] expected = Splice(relayable[start + i].Sent.Payload, seq);
            if (!expected.AsSpan().SequenceEqual(client.Live[i].Json))
            {
                Assert.Fail($"{who}: event {i} differs:\nsent     {Encoding.UTF8.GetString(expected)}\nreceived {client.Live[i]}");
            }
        }

        if (!client.Left) Assert.Equal(relayable.Count - start, client.Live.Count);
    }

    /// <summary>The index in <paramref name="relayable"/> of the client's first live event: the first one after its snapshot,
    /// whose position lies in [floor, ceiling]; -1 when none matches.</summary>
    private static int FindStart(TrackedClient client, List<(long Position, SentDispatch Sent)> relayable, long firstSeq) =>
        relayable.FindIndex(r => r.Position > client.SnapshotFloor && Splice(r.Sent.Payload, firstSeq).AsSpan().SequenceEqual(client.Live[0].Json));

    private static byte[] Splice(byte[] payload, long seq)
    {
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        var output = new System.Buffers.ArrayBufferWriter<byte>(payload.Length + 8);
        SequenceSplice.Write(output, payload, envelope, seq);
        return output.WrittenSpan.ToArray();
    }
}
