using System.Buffers;

namespace GatewayProxy.Cache;

/// <summary>An immutable view of one shard's cache as of ring position <see cref="Position"/>.</summary>
/// <remarks>A client's READY and GUILD_CREATEs come from one snapshot; its live events start at
/// <see cref="Position"/> + 1 (docs/architecture.md, "Snapshot boundary").</remarks>
public interface IShardSnapshot
{
    /// <summary>The ring sequence of the last event applied to this view (-1 before any).</summary>
    long Position { get; }

    /// <summary>How many guilds READY lists for this shard (available or not).</summary>
    int GuildCount { get; }

    /// <summary>Every guild of the shard, including unavailable ones.</summary>
    IEnumerable<ulong> GuildIds { get; }

    /// <summary>True when the guild is known but unavailable (answered with GUILD_DELETE {unavailable:true}).</summary>
    bool IsUnavailable(ulong guildId);

    /// <summary>The bot's user object from upstream READY, as compact JSON (empty before READY).</summary>
    ReadOnlySpan<byte> BotUserJson { get; }

    /// <summary>The <c>application</c> object ({id, flags}) from upstream READY, as compact JSON (empty before READY).</summary>
    ReadOnlySpan<byte> ApplicationJson { get; }

    /// <summary>Writes the <c>d</c> object of the GUILD_CREATE a client with <paramref name="options"/> would get.</summary>
    bool TryWriteGuildCreate(ulong guildId, IBufferWriter<byte> output, in GuildCreateOptions options);
}
