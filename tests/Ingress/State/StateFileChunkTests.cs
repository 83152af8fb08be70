using GatewayProxy.Cache.Persistence;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using GatewayProxy.Ingress.State;
using Xunit;

namespace GatewayProxy.Tests.Ingress.State;

/// <summary>Bodies larger than one chunk: they round-trip through a file, and damage in any chunk is named.</summary>
public sealed class StateFileChunkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_body_of_several_chunks_round_trips_through_a_file()
    {
        ProxyState state = Large(Now);
        string dir = Directory.CreateTempSubdirectory("gp-state-").FullName;
        try
        {
            string path = Path.Combine(dir, "state.bin");
            long size = StateFile.Write(path, state);
            Assert.True(Chunks(File.ReadAllBytes(path)).Count >= 3, "the sample must span several chunks");
            Assert.Equal(new FileInfo(path).Length, size);
            Assert.True(StateFile.TryRead(path, Now, MaxAge, out ProxyState? read, out StateFileStatus status, out string detail), detail);
            Assert.Equal(StateFileStatus.Loaded, status);
            Assert.Equal(state.Shards.Count, read.Shards.Count);
            for (int s = 0; s < state.Shards.Count; s++)
            {
                Assert.Equal(state.Shards[s].Cache.Guilds.Select(g => g.Id), read.Shards[s].Cache.Guilds.Select(g => g.Id));
                for (int g = 0; g < state.Shards[s].Cache.Guilds.Count; g++)
                    Assert.Equal(state.Shards[s].Cache.Guilds[g].GuildCreateJson, read.Shards[s].Cache.Guilds[g].GuildCreateJson);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Cuts_at_chunk_boundaries_are_truncations_and_damage_in_any_chunk_is_a_checksum_mismatch()
    {
        byte[] file = StateFile.Encode(Large(Now));
        foreach ((int start, int length) in Chunks(file))
        {
            foreach (int cut in new[] { start, start + 4, start + 8, start + length - 1 })
            {
                Assert.False(StateFile.TryDecode(file.AsSpan(0, cut), Now, MaxAge, out _, out StateFileStatus status, out string detail));
                Assert.True(status == StateFileStatus.Truncated, $"cut at {cut}: {status} ({detail})");
            }

            foreach (int at in new[] { start, start + 5, start + (length / 2), start + length - 1 })
            {
                byte[] damaged = (byte[])file.Clone();
                damaged[at] ^= 0x10;
                Assert.False(StateFile.TryDecode(damaged, Now, MaxAge, out _, out StateFileStatus status, out string detail));
                Assert.True(status == StateFileStatus.ChecksumMismatch, $"byte {at}: {status} ({detail})");
            }
        }
    }

    [Fact]
    public void Chunks_that_do_not_fit_their_lengths_are_corrupt_even_with_a_valid_checksum()
    {
        byte[] file = StateFile.Encode(Large(Now));
        (int first, _) = Chunks(file)[0];
        (int last, int lastLength) = Chunks(file)[^1];

        // Each damage is re-sealed with a correct checksum: only the decoder's own checks can catch it.
        AssertCorrupt(file, f => BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(first), StateFile.ChunkSize + 1), "a chunk of");
        AssertCorrupt(file, f => BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(first + 4), -3), "impossible -3 bytes");
        AssertCorrupt(file, f => BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(last), BinaryPrimitives.ReadInt32LittleEndian(f.AsSpan(last)) - 1), "decompress");
        AssertCorrupt(file, f => f[last + lastLength - 1] ^= 0xFF, "");
        AssertCorrupt(file, f => BinaryPrimitives.WriteInt64LittleEndian(f.AsSpan(14), BinaryPrimitives.ReadInt64LittleEndian(f.AsSpan(14)) + 1), "");
        AssertCorrupt(file, f => BinaryPrimitives.WriteInt64LittleEndian(f.AsSpan(14), BinaryPrimitives.ReadInt64LittleEndian(f.AsSpan(14)) - StateFile.ChunkSize), "");
    }

    private static void AssertCorrupt(byte[] original, Action<byte[]> damage, string expected)
    {
        byte[] file = (byte[])original.Clone();
        damage(file);
        Reseal(file);
        Assert.False(StateFile.TryDecode(file, Now, MaxAge, out _, out StateFileStatus status, out string detail));
        Assert.True(status == StateFileStatus.Corrupt, $"{status} ({detail})");
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    /// <summary>Recomputes the header checksum as the format defines it (header bytes 0..30, then the body's XxHash64).</summary>
    private static void Reseal(byte[] file)
    {
        Span<byte> bodyHash = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bodyHash, XxHash64.HashToUInt64(file.AsSpan(StateFile.HeaderSize)));
        var hash = new XxHash64();
        hash.Append(file.AsSpan(0, 30));
        hash.Append(bodyHash);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(30), hash.GetCurrentHashAsUInt64());
    }

    /// <summary>(offset, length) of each chunk, its 8-byte header included.</summary>
    private static List<(int Start, int Length)> Chunks(byte[] file)
    {
        var chunks = new List<(int, int)>();
        for (int at = StateFile.HeaderSize; at < file.Length;)
        {
            int length = 8 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 4));
            chunks.Add((at, length));
            at += length;
        }
        return chunks;
    }

    /// <summary>Two shards of 3.5 MB of guild JSON in all: several chunks, with guilds straddling chunk boundaries.</summary>
    private static ProxyState Large(DateTimeOffset writtenAt)
    {
        var random = new Random(8);
        SavedShard Shard(int id, int guilds)
        {
            var list = new List<SavedGuild>();
            for (int g = 0; g < guilds; g++)
            {
                var json = new StringBuilder("{\"id\":\"").Append(1000 + g).Append("\",\"members\":[");
                for (int m = 0; m < 1000; m++)
                    json.Append(m == 0 ? "" : ",").Append("{\"user\":{\"id\":\"").Append(random.NextInt64()).Append("\"},\"nick\":\"n").Append(random.Next()).Append("\"}");
                list.Add(new SavedGuild((ulong)(1000 + g), g % 7 == 3 ? null : Encoding.UTF8.GetBytes(json.Append("]}").ToString())));
            }
            return new SavedShard(id, 2, "session-" + id, 10_000 + id, "wss://resume.example", new SavedCache("{\"id\":\"9\"}"u8.ToArray(), "{\"id\":\"9\",\"flags\":0}"u8.ToArray(), list));
        }
        return new ProxyState(writtenAt, [Shard(0, 40), Shard(1, 25)]);
    }
}
