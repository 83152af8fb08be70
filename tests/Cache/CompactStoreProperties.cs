using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Cache;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

/// <summary>
/// The packed entity store against a reference model (a dictionary of JSON nodes per collection) for random streams of
/// member, presence, channel and role events, outages with their GUILD_CREATE, and snapshots taken in between: the
/// GUILD_CREATE the cache writes, reparsed, holds exactly the model's entities, and an earlier snapshot still holds
/// what the model held then. Ids spread over several chunks and values of random length exercise in-place writes,
/// moves, compaction, chunk growth and copies after a snapshot.
/// </summary>
public class CompactStoreProperties
{
    /// <summary>One generated event: kind, target entity, value (also the length of a padded field).</summary>
    public readonly record struct Op(int Kind, int Target, int Value);

    private const int Kinds = 11;

    private static readonly Gen<Op> OpGen =
        from kind in Gen.Choose(0, Kinds - 1)
        from target in Gen.Choose(1, 400)
        from value in Gen.Choose(0, 60)
        select new Op(kind, target, value);

    // Long streams (up to 1,500 events), so entities outgrow their places often enough to fill chunks and compact them.
    private static Arbitrary<(Op[] Ops, int[] SnapshotsAt)> Streams() =>
        (from length in Gen.Choose(0, 1500)
         from ops in Gen.ArrayOf(OpGen, length)
         from at in Gen.ArrayOf(Gen.Choose(0, 1500))
         select (ops, at)).ToArbitrary();

    [Property(MaxTest = 100)]
    public Property Random_events_give_the_guild_create_of_a_reference_model() =>
        Prop.ForAll(Streams(), input =>
        {
            ShardCache cache = ReadyCache();
            var model = new Model();
            for (int i = 0; i < 300; i += 3)
            {
                model.Members[(ulong)(1000 + i)] = MemberNode((ulong)(1000 + i), i % 50, nick: i % 7 == 0 ? "n" : null);
            }

            model.Channels[10] = ChannelNode(10, 3);
            model.Roles[GuildId] = RoleNode(GuildId, 1);
            cache.Dispatch("GUILD_CREATE", model.GuildCreate(), 2);
            var held = new List<(CacheSnapshot Snapshot, string Expected)>();
            var snapshotsAt = new HashSet<int>(input.SnapshotsAt);
            long position = 3;
            for (int i = 0; i < input.Ops.Length; i++)
            {
                if (snapshotsAt.Contains(i))
                {
                    held.Add((cache.Snapshot(), model.Describe()));
                }

                Apply(cache, model, input.Ops[i], position++);
            }

            if (cache.MalformedEvents != 0 || Describe(cache.Snapshot()) != model.Describe())
            {
                return false;
            }

            foreach ((CacheSnapshot snapshot, string expected) in held)
            {
                if (Describe(snapshot) != expected)
                {
                    return false;
                }
            }

            return true;
        });

    [Property(MaxTest = 60)]
    public Property A_cache_compressing_cold_guilds_answers_every_snapshot_byte_for_byte_like_one_that_does_not() =>
        Prop.ForAll(Streams(), Gen.Elements(TimeSpan.FromTicks(1), TimeSpan.FromHours(1)).ToArbitrary(), (input, coldAfter) =>
        {
            // Cold after a tick: every chunk is compressed again after each event (each change decompresses one first);
            // after an hour: compressed at GUILD_CREATE, decompressed for good by its first change.
            CacheOptions compressing = CacheOptions.All();
            compressing.CompressColdAfter = coldAfter;
            ShardCache plain = ReadyCache();
            ShardCache cold = ReadyCache(compressing);
            var plainModel = new Model();
            var coldModel = new Model();
            for (int i = 0; i < 300; i += 3)
            {
                plainModel.Members[(ulong)(1000 + i)] = MemberNode((ulong)(1000 + i), i % 50, nick: i % 7 == 0 ? "n" : null);
                coldModel.Members[(ulong)(1000 + i)] = MemberNode((ulong)(1000 + i), i % 50, nick: i % 7 == 0 ? "n" : null);
            }

            plain.Dispatch("GUILD_CREATE", plainModel.GuildCreate(), 2);
            cold.Dispatch("GUILD_CREATE", coldModel.GuildCreate(), 2);
            var held = new List<(CacheSnapshot Plain, CacheSnapshot Cold)>();
            var snapshotsAt = new HashSet<int>(input.SnapshotsAt);
            long position = 3;
            for (int i = 0; i < input.Ops.Length; i++)
            {
                if (snapshotsAt.Contains(i))
                {
                    held.Add((plain.Snapshot(), cold.Snapshot()));
                }

                Apply(plain, plainModel, input.Ops[i], position);
                Apply(cold, coldModel, input.Ops[i], position);
                position++;
            }

            held.Add((plain.Snapshot(), cold.Snapshot()));
            foreach ((CacheSnapshot p, CacheSnapshot c) in held)
            {
                foreach (GuildCreateOptions options in (GuildCreateOptions[])[AllIntents(), AllIntents(50), new(250, false, true, BotId), AllIntents() with { Complete = true }])
                {
                    if (!WriteGuildCreateBytes(p, GuildId, options).AsSpan().SequenceEqual(WriteGuildCreateBytes(c, GuildId, options)))
                    {
                        return false;
                    }
                }

                foreach (CacheEntityKind kind in Enum.GetValues<CacheEntityKind>())
                {
                    foreach (ulong id in p.GetIds(GuildId, kind))
                    {
                        if (!c.TryGetEntity(GuildId, kind, id, out ReadOnlyMemory<byte> coldJson)
                            || !p.TryGetEntity(GuildId, kind, id, out ReadOnlyMemory<byte> plainJson)
                            || !coldJson.Span.SequenceEqual(plainJson.Span))
                        {
                            return false;
                        }
                    }
                }
            }

            return cold.MalformedEvents == 0;
        });

    private static void Apply(ShardCache cache, Model model, Op op, long position)
    {
        ulong user = (ulong)(1000 + op.Target);
        ulong channel = (ulong)(5000 + (op.Target % 150));
        ulong role = (ulong)(7000 + (op.Target % 90));
        switch (op.Kind)
        {
            case 0:
            {
                JsonObject member = MemberNode(user, op.Value, op.Value % 3 == 0 ? null : "n" + op.Value);
                var d = (JsonObject)member.DeepClone();
                d["guild_id"] = GuildId.ToString();
                cache.Dispatch("GUILD_MEMBER_ADD", d, position);
                model.Members[user] = member;
                model.MemberCount++;
                break;
            }

            case 1:
            {
                // A partial member: merged over the cached one (user, roles and nick replaced; joined_at kept).
                var d = new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = UserNode(user, op.Value), ["roles"] = new JsonArray(), ["nick"] = op.Value % 2 == 0 ? null : new string('k', op.Value) };
                cache.Dispatch("GUILD_MEMBER_UPDATE", d, position);
                JsonObject merged = model.Members.TryGetValue(user, out JsonObject? old) ? (JsonObject)old.DeepClone() : [];
                merged["user"] = UserNode(user, op.Value);
                merged["roles"] = new JsonArray();
                merged["nick"] = op.Value % 2 == 0 ? null : new string('k', op.Value);
                model.Members[user] = merged;
                break;
            }

            case 2:
                cache.Dispatch("GUILD_MEMBER_REMOVE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = new JsonObject { ["id"] = user.ToString() } }, position);
                model.Members.Remove(user);
                model.Presences.Remove(user);
                model.MemberCount = Math.Max(0, model.MemberCount - 1);
                break;
            case 3:
            case 4:
            {
                string status = op.Kind == 4 ? "offline" : op.Value % 2 == 0 ? "online" : "idle";
                var activities = new JsonArray { new JsonObject { ["name"] = new string('g', op.Value), ["type"] = 0 } };
                var presence = new JsonObject { ["user"] = new JsonObject { ["id"] = user.ToString() }, ["status"] = status, ["activities"] = activities, ["client_status"] = new JsonObject() };
                var d = (JsonObject)presence.DeepClone();
                d["guild_id"] = GuildId.ToString();
                cache.Dispatch("PRESENCE_UPDATE", d, position);
                if (op.Kind == 4)
                {
                    model.Presences.Remove(user);
                }
                else
                {
                    model.Presences[user] = presence;
                }

                break;
            }

            case 5:
            case 6:
            {
                JsonObject node = ChannelNode(channel, op.Value);
                var d = (JsonObject)node.DeepClone();
                d["guild_id"] = GuildId.ToString();
                cache.Dispatch(op.Kind == 5 ? "CHANNEL_CREATE" : "CHANNEL_UPDATE", d, position);
                model.Channels[channel] = node;
                break;
            }

            case 7:
                cache.Dispatch("CHANNEL_DELETE", new JsonObject { ["id"] = channel.ToString(), ["guild_id"] = GuildId.ToString(), ["type"] = 0 }, position);
                model.Channels.Remove(channel);
                break;
            case 8:
            {
                JsonObject node = RoleNode(role, op.Value);
                cache.Dispatch("GUILD_ROLE_UPDATE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["role"] = node.DeepClone() }, position);
                model.Roles[role] = node;
                break;
            }

            case 9:
                cache.Dispatch("GUILD_ROLE_DELETE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["role_id"] = role.ToString() }, position);
                model.Roles.Remove(role);
                break;
            default:
                // An outage and the guild back (refilled in place when no snapshot saw it, rebuilt otherwise).
                cache.Dispatch("GUILD_DELETE", new JsonObject { ["id"] = GuildId.ToString(), ["unavailable"] = true }, position);
                cache.Dispatch("GUILD_CREATE", model.GuildCreate(), position);
                break;
        }
    }

    private static JsonObject UserNode(ulong id, int value) => new() { ["id"] = id.ToString(), ["username"] = "u" + new string('x', value), ["discriminator"] = "0" };

    private static JsonObject MemberNode(ulong id, int value, string? nick) => new()
    {
        ["user"] = UserNode(id, value),
        ["roles"] = new JsonArray(),
        ["nick"] = nick,
        ["joined_at"] = "j" + value,
    };

    private static JsonObject ChannelNode(ulong id, int value) => new() { ["id"] = id.ToString(), ["type"] = 0, ["name"] = new string('c', value + 1), ["position"] = value };

    private static JsonObject RoleNode(ulong id, int value) => new()
    {
        ["id"] = id.ToString(),
        ["name"] = new string('r', value + 1),
        ["color"] = value,
        ["position"] = 1,
        ["permissions"] = "0",
    };

    /// <summary>What a client with every intent gets, reduced to what the model predicts, keys sorted so key order does not count.</summary>
    private static string Describe(CacheSnapshot snapshot)
    {
        using JsonDocument doc = WriteGuildCreate(snapshot, GuildId, AllIntents() with { Complete = true });
        JsonElement g = doc.RootElement;
        return Model.Describe(
            g.GetProperty("member_count").GetInt32(),
            Collect(g.GetProperty("members"), e => e.GetProperty("user").GetProperty("id").GetString()!),
            Collect(g.GetProperty("presences"), e => e.GetProperty("user").GetProperty("id").GetString()!),
            Collect(g.GetProperty("channels"), e => e.GetProperty("id").GetString()!),
            Collect(g.GetProperty("roles"), e => e.GetProperty("id").GetString()!));
    }

    private static SortedDictionary<ulong, string> Collect(JsonElement array, Func<JsonElement, string> id)
    {
        var result = new SortedDictionary<ulong, string>();
        foreach (JsonElement e in array.EnumerateArray())
        {
            result.Add(ulong.Parse(id(e)), Canonical(JsonNode.Parse(e.GetRawText())));
        }

        return result;
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    /// <summary>The reference: each collection a plain dictionary of the entities as GUILD_CREATE carries them.</summary>
    private sealed class Model
    {
        public Dictionary<ulong, JsonObject> Members { get; } = [];
        public Dictionary<ulong, JsonObject> Presences { get; } = [];
        public Dictionary<ulong, JsonObject> Channels { get; } = [];
        public Dictionary<ulong, JsonObject> Roles { get; } = [];
        public int MemberCount { get; set; } = 100;

        public JsonObject GuildCreate() => new()
        {
            ["id"] = GuildId.ToString(),
            ["name"] = "g",
            ["joined_at"] = "2021-02-03T04:05:06+00:00",
            ["member_count"] = MemberCount,
            ["members"] = new JsonArray([.. Members.Values.Select(m => m.DeepClone())]),
            ["presences"] = new JsonArray([.. Presences.Values.Select(m => m.DeepClone())]),
            ["channels"] = new JsonArray([.. Channels.Values.Select(m => m.DeepClone())]),
            ["roles"] = new JsonArray([.. Roles.Values.Select(m => m.DeepClone())]),
        };

        public string Describe() => Describe(
            MemberCount,
            Canonicalize(Members),
            Canonicalize(Presences),
            Canonicalize(Channels),
            new SortedDictionary<ulong, string>(Roles.ToDictionary(p => p.Key, p =>
            {
                // The cache adds `colors` from `color` when a role lacks it.
                var role = (JsonObject)p.Value.DeepClone();
                role["colors"] = new JsonObject { ["primary_color"] = role["color"]!.DeepClone(), ["secondary_color"] = null, ["tertiary_color"] = null };
                return Canonical(role);
            })));

        public static string Describe(int memberCount, params SortedDictionary<ulong, string>[] collections) =>
            memberCount + "\n" + string.Join("\n--\n", collections.Select(c => string.Join("\n", c.Select(p => p.Key + "=" + p.Value))));

        private static SortedDictionary<ulong, string> Canonicalize(Dictionary<ulong, JsonObject> entities) =>
            new(entities.ToDictionary(p => p.Key, p => Canonical(p.Value)));
    }
}
