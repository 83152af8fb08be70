using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Metrics;
using GatewayProxy.Protocol.Compression;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.Shards;

/// <summary>What every shard of a manager shares: the bot, where to connect, how, and the identify queue.</summary>
internal sealed record ShardSettings(
    string Token,
    uint Intents,
    int TotalShards,
    Uri GatewayUrl,
    TransportCompression Compression,
    PresenceSettings Presence,
    IIdentifyQueue IdentifyQueue,
    UpstreamTransport Transport,
    IngressMetrics Metrics,
    ILogger Logger,
    (TimeSpan Min, TimeSpan Max) ReidentifyDelay,
    TimeSpan MaxReconnectDelay,
    TimeSpan GuildReadyTimeout)
{
    /// <summary>How long a new connection may take to say HELLO (and the TCP/TLS/WebSocket handshakes to finish).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful close waits for Discord to close its side.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest upstream message accepted (huge guilds send multi-megabyte GUILD_CREATEs).</summary>
    public int MaxMessageSize { get; init; } = 128 * 1024 * 1024;
}
