using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Cache;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

/// <summary>The cache against a plain dictionary model, for random member and channel event sequences.</summary>
public class CacheModelProperties
{
    /// <summary>One generated event: kind 0..5 (member add/update/remove, channel create/update/delete), target, value.</summary>
    public readonly record struct Op(int Kind, int Target, int Value);

    private sealed record MemberModel(string? Nick, string? JoinedAt, string Username);

    private sealed class Model
    {
        public Dictionary<ulong, MemberModel> Members { get; init; } = [];
        public Dictionary<ulong, string> Channels { get; init; } = [];
        public int MemberCount { get; set; }

        public Model Copy() => new() { Members = new(Members), Channels = new(Channels), MemberCount = MemberCount };
    }

    private static readonly Gen<Op> OpGen =
        from kind in Gen.Choose(0, 5)
        from target in Gen.Choose(1, 8)
        from value in Gen.Choose(0, 3)
        select new Op(kind, target, value);

    private static Arbitrary<(Op[] Ops, int SnapshotAt)> Sequences() =>
        (from ops in Gen.ArrayOf(OpGen)
         from at in Gen.Choose(0, ops.Length)
         select (ops, at)).ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Cache_equals_a_dictionary_model_for_member_and_channel_events() =>
        Prop.ForAll(Sequences(), input =>
        {
            ShardCache cache = ReadyCache();
            cache.Dispatch("GUILD_CREATE", Guild(), 2);
            var model = new Model { MemberCount = 1 };
            model.Members[BotId] = new MemberModel(null, "2020-01-01T00:00:00+00:00", "user");
            model.Channels[10] = "general";
            model.Channels[11] = "random";

            CacheSnapshot? early = null;
            Model? earlyModel = null;
            long position = 3;
            for (int i = 0; i <= input.Ops.Length; i++)
            {
                if (i == input.SnapshotAt)
                {
                    early = cache.Snapshot();
                    earlyModel = model.Copy();
                }

                if (i < input.Ops.Length)
                {
                    Apply(cache, model, input.Ops[i], position++);
                }
            }

            return Matches(cache.Snapshot(), model) && Matches(early!, earlyModel!);
        });

    private static void Apply(ShardCache cache, Model model, Op op, long position)
    {
        ulong member = (ulong)op.Target;
        ulong channel = 9 + (ulong)op.Target;
        string nick = op.Value == 0 ? "null" : $"\"n{op.Value}\"";
        switch (op.Kind)
        {
            case 0:
                cache.Dispatch("GUILD_MEMBER_ADD", $$$"""{"guild_id":"100","user":{"id":"{{{member}}}","username":"u{{{op.Value}}}","discriminator":"0"},"roles":[],"nick":{{{nick}}},"joined_at":"j{{{op.Value}}}"}""", position);
                model.Members[member] = new MemberModel(op.Value == 0 ? null : $"n{op.Value}", $"j{op.Value}", $"u{op.Value}");
                model.MemberCount++;
                break;
            case 1:
                cache.Dispatch("GUILD_MEMBER_UPDATE", $$$"""{"guild_id":"100","user":{"id":"{{{member}}}","username":"u{{{op.Value}}}","discriminator":"0"},"roles":[],"nick":{{{nick}}}}""", position);
                string? joined = model.Members.TryGetValue(member, out MemberModel? old) ? old.JoinedAt : null;
                model.Members[member] = new MemberModel(op.Value == 0 ? null : $"n{op.Value}", joined, $"u{op.Value}");
                break;
            case 2:
                cache.Dispatch("GUILD_MEMBER_REMOVE", $$$"""{"guild_id":"100","user":{"id":"{{{member}}}"}}""", position);
                model.Members.Remove(member);
                model.MemberCount = Math.Max(0, model.MemberCount - 1);
                break;
            case 3:
            case 4:
                cache.Dispatch(op.Kind == 3 ? "CHANNEL_CREATE" : "CHANNEL_UPDATE", $$$"""{"id":"{{{channel}}}","guild_id":"100","type":0,"name":"c{{{op.Value}}}"}""", position);
                model.Channels[channel] = $"c{op.Value}";
                break;
            default:
                cache.Dispatch("CHANNEL_DELETE", $$$"""{"id":"{{{channel}}}","guild_id":"100","type":0}""", position);
                model.Channels.Remove(channel);
                break;
        }
    }

    private static bool Matches(CacheSnapshot snapshot, Model model)
    {
        if (snapshot.GetMemberCount(GuildId) != model.MemberCount
            || !snapshot.GetIds(GuildId, CacheEntityKind.Members).Order().SequenceEqual(model.Members.Keys.Order())
            || !snapshot.GetIds(GuildId, CacheEntityKind.Channels).Order().SequenceEqual(model.Channels.Keys.Order()))
        {
            return false;
        }

        foreach ((ulong id, MemberModel expected) in model.Members)
        {
            snapshot.TryGetEntity(GuildId, CacheEntityKind.Members, id, out ReadOnlyMemory<byte> json);
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement m = doc.RootElement;
            string? nick = m.TryGetProperty("nick", out JsonElement n) ? n.GetString() : null;
            string? joinedAt = m.TryGetProperty("joined_at", out JsonElement j) ? j.GetString() : null;
            if (nick != expected.Nick || joinedAt != expected.JoinedAt || m.GetProperty("user").GetProperty("username").GetString() != expected.Username)
            {
                return false;
            }
        }

        foreach ((ulong id, string name) in model.Channels)
        {
            snapshot.TryGetEntity(GuildId, CacheEntityKind.Channels, id, out ReadOnlyMemory<byte> json);
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.GetProperty("name").GetString() != name)
            {
                return false;
            }
        }

        return true;
    }
}
