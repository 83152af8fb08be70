using System.Text;
using GatewayProxy.Cache;
using Xunit;

namespace GatewayProxy.Tests.Cache;

/// <summary>The chunked copy-on-write map: same content as a plain dictionary, clones frozen, bounded copies after a snapshot.</summary>
public sealed class EntityMapTests
{
    [Fact]
    public void Random_sets_and_deletes_match_a_dictionary_and_earlier_clones_never_change()
    {
        var random = new Random(5);
        long epoch = 0;
        var map = new EntityMap(epoch, 0);
        var model = new Dictionary<ulong, string>();
        var frozen = new List<(EntityMap Map, Dictionary<ulong, string> Model)>();
        for (int i = 0; i < 20_000; i++)
        {
            // Snowflake-like ids: a shared high part and a small counter, as Discord's are.
            ulong id = 81_000_000_000_000_000UL + (ulong)random.Next(3000);
            if (random.Next(4) == 0)
            {
                map.Delete(id);
                model.Remove(id);
            }
            else
            {
                string json = "{\"id\":\"" + id + "\",\"v\":\"" + new string('x', random.Next(40)) + "\"}";
                map.Set(id, Encoding.UTF8.GetBytes(json), notable: false);
                model[id] = json;
            }

            if (i % 1500 == 0)
            {
                // A snapshot: the current map is frozen, the writer goes on with a clone in the next epoch.
                frozen.Add((map, new Dictionary<ulong, string>(model)));
                map = map.Clone(++epoch);
            }
        }

        AssertSame(model, map);
        foreach ((EntityMap old, Dictionary<ulong, string> content) in frozen)
        {
            AssertSame(content, old);
        }
    }

    [Fact]
    public void The_first_update_after_a_snapshot_copies_one_chunk_not_the_whole_collection()
    {
        var map = new EntityMap(0, 0);
        byte[] json = new byte[300];
        for (ulong id = 1; id <= 100_000; id++)
        {
            map.Set(id, json, notable: false);
        }

        EntityMap next = map.Clone(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        next.Set(50_000, json, notable: true);
        long copied = GC.GetAllocatedBytesForCurrentThread() - before;

        // A whole-collection copy would be ~100_000 x 324 B; one chunk (about 100 entries: ids, slots and their JSON) is ~35 KB.
        Assert.InRange(copied, 1, 64 * 1024);
        Assert.True(next.TryGetValue(50_000, out CachedEntity updated) && updated.Notable);
        Assert.True(map.TryGetValue(50_000, out CachedEntity original) && !original.Notable);
        Assert.Equal(100_000, next.Count);
    }

    private static void AssertSame(Dictionary<ulong, string> expected, EntityMap actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        int seen = 0;
        foreach (KeyValuePair<ulong, CachedEntity> pair in actual)
        {
            seen++;
            Assert.True(expected.TryGetValue(pair.Key, out string? json), $"unexpected {pair.Key}");
            Assert.Equal(json, Encoding.UTF8.GetString(pair.Value.Json));
        }

        Assert.Equal(expected.Count, seen);
        foreach (KeyValuePair<ulong, string> pair in expected)
        {
            Assert.True(actual.TryGetValue(pair.Key, out CachedEntity entity));
            Assert.Equal(pair.Value, Encoding.UTF8.GetString(entity.Json));
        }
    }
}
