using System.Buffers;
using GatewayProxy.Ingress.Cache;
using GatewayProxy.Protocol.Shards;

namespace GatewayProxy.Ingress.Shards;

/// <summary>The cache's <see cref="CacheSnapshot"/> seen through the seam Egress consumes (<see cref="IShardSnapshot"/>).</summary>
public sealed class ShardSnapshot : IShardSnapshot
{
    /// <summary>Wraps <paramref name="snapshot"/>.</summary>
    public ShardSnapshot(CacheSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Cache = snapshot;
    }

    /// <summary>The underlying cache snapshot (for callers that need more than the seam offers).</summary>
    public CacheSnapshot Cache { get; }

    /// <inheritdoc />
    public long Position => Cache.Position;

    /// <inheritdoc />
    public int GuildCount => Cache.GuildCount;

    /// <inheritdoc />
    public IEnumerable<ulong> GuildIds => Cache.GuildIds;

    /// <inheritdoc />
    public ReadOnlySpan<byte> BotUserJson => Cache.BotUserJson;

    /// <inheritdoc />
    public ReadOnlySpan<byte> ApplicationJson => Cache.ApplicationJson;

    /// <inheritdoc />
    public bool IsUnavailable(ulong guildId) => Cache.IsUnavailable(guildId);

    /// <inheritdoc />
    public bool TryWriteGuildCreate(ulong guildId, IBufferWriter<byte> output, in Protocol.Shards.GuildCreateOptions options) =>
        Cache.TryWriteGuildCreate(guildId, output, new Cache.GuildCreateOptions(options.LargeThreshold, options.GuildPresencesIntent, options.GuildMembersIntent, options.BotUserId));
}
