using GatewayProxy.Ring.Memory;
using System.Net;
using GatewayProxy.Egress;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>A ProxyServer on 127.0.0.1 (free port) over test shards, with helpers to connect clients.</summary>
internal sealed class EgressTestServer : IAsyncDisposable
{
    public const string Token = "test-token.abc";

    private EgressTestServer(ProxyServer server, EgressOptions options, TestShardFeed[] feeds, TestShardDirectory directory)
    {
        Server = server;
        Options = options;
        Feeds = feeds;
        Directory = directory;
    }

    public ProxyServer Server { get; }

    public EgressOptions Options { get; }

    public TestShardFeed[] Feeds { get; }

    public TestShardDirectory Directory { get; }

    public TestShardFeed Feed => Feeds[0];

    public Uri Url => new($"ws://127.0.0.1:{Server.LocalEndPoint.Port}");

    public Uri HttpUrl => new($"http://127.0.0.1:{Server.LocalEndPoint.Port}");

    public CollectorRegistry Registry => Options.Metrics;

    /// <summary>Starts a server for shards [start, start + count) of total.</summary>
    public static EgressTestServer Start(Action<EgressOptions>? configure = null, int total = 1, int start = 0, int count = 1, int ringSize = 4096,
        IReadOnlyList<TestGuild>? guilds = null, RingMemory? ringMemory = null)
    {
        var feeds = new TestShardFeed[count];
        for (int i = 0; i < count; i++) feeds[i] = new TestShardFeed(start + i, ringSize, guilds, ringMemory);
        var directory = new TestShardDirectory(total, start, feeds);
        var options = new EgressOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Token = "Bot " + Token,
            WorkerCount = 2,
            Metrics = Metrics.NewCustomRegistry(),
        };
        configure?.Invoke(options);
        return new EgressTestServer(ProxyServer.Start(options, directory, NullLogger.Instance), options, feeds, directory);
    }

    /// <summary>A client that has received HELLO.</summary>
    public async Task<RawGatewayClient> ConnectAsync(TransportCompression compression = TransportCompression.None)
    {
        RawGatewayClient client = await RawGatewayClient.ConnectAsync(Url, compression);
        GatewayMessage hello = await client.ReceiveAsync();
        if (hello.Op != 10) throw new InvalidOperationException("expected HELLO, got " + hello);
        return client;
    }

    /// <summary>A client that identified and received READY and one payload per guild.</summary>
    public async Task<IdentifiedTestClient> IdentifyAsync(TransportCompression compression = TransportCompression.None, int shard = 0, string extra = "",
        long intents = 513)
    {
        RawGatewayClient client = await ConnectAsync(compression);
        await client.IdentifyAsync(Token, shard, Directory.TotalShards, intents, extra);
        GatewayMessage ready = await client.ReceiveAsync();
        if (ready.Type != "READY") throw new InvalidOperationException("expected READY, got " + ready);
        TestShardFeed feed = Feeds[shard - Directory.ShardStart];
        var guilds = new List<GatewayMessage>();
        for (int i = 0; i < feed.Guilds.Count; i++) guilds.Add(await client.ReceiveAsync());
        return new IdentifiedTestClient(client, ready, guilds, ready.Data.GetProperty("session_id").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (TestShardFeed feed in Feeds) feed.Ring.Dispose();
    }
}

/// <summary>A client after its READY burst.</summary>
internal sealed record IdentifiedTestClient(RawGatewayClient Client, GatewayMessage Ready, List<GatewayMessage> Guilds, string SessionId) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
