using GatewayProxy.Protocol.Gateway;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Cache.Json;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Cache.Json;

/// <summary>The cache's object and array walkers (structural scanner) against System.Text.Json's own reading.</summary>
public sealed class JsonWalkerTests
{
    [Fact]
    public void Walks_names_and_raw_values_across_whitespace()
    {
        byte[] json = """ { "a" : 1 ,"b":{"c":[1, 2]} , "d":"x\"y", "e" : null,"f":[ ] } """u8.ToArray();
        var names = new List<string>();
        var values = new List<string>();
        var e = new JsonObjectEnumerator(json);
        while (e.MoveNext())
        {
            names.Add(Encoding.UTF8.GetString(e.Name));
            values.Add(Encoding.UTF8.GetString(e.Value));
            Assert.Equal((byte)'"', json[e.NameStart - 1]);
        }

        Assert.Equal(["a", "b", "d", "e", "f"], names);
        Assert.Equal(["1", """{"c":[1, 2]}""", "\"x\\\"y\"", "null", "[ ]"], values);
    }

    [Theory]
    [InlineData("[]", 0)]
    [InlineData(" [ ] ", 0)]
    [InlineData("null", 0)]
    [InlineData("[1]", 1)]
    [InlineData("[ {\"a\":[1,{}]} , \"]\" ,[[]] ]", 3)]
    public void Counts_array_elements(string json, int count) =>
        Assert.Equal(count, JsonArrayEnumerator.Count(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a" 1}""")]
    [InlineData("""{"a":1 "b":2}""")]
    [InlineData("""{a:1}""")]
    [InlineData("""{"a":}""")]
    [InlineData("""{"a":[1,2}""")]
    [InlineData("""{"a":"unterminated}""")]
    [InlineData("""{"a":1""")]
    public void A_malformed_object_throws_JsonException(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() =>
        {
            var e = new JsonObjectEnumerator(bytes);
            while (e.MoveNext())
            {
            }
        });
    }

    [Theory]
    [InlineData("[1,]")]
    [InlineData("[1 2]")]
    [InlineData("[1")]
    [InlineData("{}")]
    [InlineData("nul")]
    [InlineData("")]
    public void A_malformed_array_throws_JsonException(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() => JsonArrayEnumerator.Count(bytes));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_object_and_array_in_the_Simulators_payloads_walks_as_System_Text_Json_reads_it(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        int checkedValues = 0;
        foreach (JsonObject payload in SimulatorPayloads())
        {
            byte[] json = Encoding.UTF8.GetBytes(payload.ToJsonString(options));
            using JsonDocument doc = JsonDocument.Parse(json);
            checkedValues += Compare(doc.RootElement, json);
        }

        Assert.True(checkedValues > 5_000, $"only {checkedValues} values compared");
    }

    /// <summary>Walks <paramref name="raw"/> with the cache's walkers and checks names and raw values against <paramref name="element"/>, recursively.</summary>
    private static int Compare(JsonElement element, ReadOnlySpan<byte> raw)
    {
        int count = 0;
        if (element.ValueKind == JsonValueKind.Object)
        {
            var e = new JsonObjectEnumerator(raw);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                Assert.True(e.MoveNext(), $"missing property {property.Name}");
                Assert.Equal(property.Name, Encoding.UTF8.GetString(e.Name));
                Assert.Equal(property.Value.GetRawText(), Encoding.UTF8.GetString(e.Value));
                count += 1 + Compare(property.Value, e.Value);
            }

            Assert.False(e.MoveNext());
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var e = new JsonArrayEnumerator(raw);
            foreach (JsonElement item in element.EnumerateArray())
            {
                Assert.True(e.MoveNext());
                Assert.Equal(item.GetRawText(), Encoding.UTF8.GetString(e.Current));
                count += 1 + Compare(item, e.Current);
            }

            Assert.False(e.MoveNext());
        }

        return count;
    }

    /// <summary>READY, every GUILD_CREATE and a few hundred live events of a seeded Simulator shard.</summary>
    private static IEnumerable<JsonObject> SimulatorPayloads()
    {
        SimulatorState state = new DataGenerator(new SimulatorOptions { ShardCount = 1, GuildCount = 3, MembersPerGuild = 40, Seed = 5 }).Generate();
        ShardData shard = state.Shard(0);
        yield return ReadyBuilder.Build(state, shard, "session", "ws://127.0.0.1", 0, 1);
        foreach (GuildData guild in shard.Guilds)
        {
            yield return GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId);
        }

        var generator = new EventGenerator(shard, state.BotUserId);
        var live = new List<LiveEvent>();
        for (int round = 0; round < 300; round++)
        {
            live.Clear();
            generator.Next(GatewayIntents.All, 8, live);
            foreach (LiveEvent ev in live)
            {
                if (ev.GuildCreate is { } guild)
                {
                    yield return GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId);
                }
                else if (JsonNode.Parse(ev.Data) is JsonObject data)
                {
                    yield return data;
                }
            }
        }
    }
}
