using GatewayProxy.Cache.Persistence;
using System.Buffers.Binary;
using System.Text;
using GatewayProxy.Ingress.State;
using Xunit;

namespace GatewayProxy.Tests.Ingress.State;

/// <summary>The state file format: a round trip, and every way a file can be wrong is named, never thrown.</summary>
public sealed class StateFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(120);

    internal static ProxyState Sample(DateTimeOffset writtenAt) => new(writtenAt,
    [
        new SavedShard(0, 4, "séssion-0 ✓", 1234, "wss://gateway-us-east1-b.discord.gg", new SavedCache(
            "{\"id\":\"900\",\"username\":\"bot\"}"u8.ToArray(),
            "{\"id\":\"900\",\"flags\":0}"u8.ToArray(),
            [new SavedGuild(100, "{\"id\":\"100\",\"name\":\"a\"}"u8.ToArray()), new SavedGuild(101, null), new SavedGuild(ulong.MaxValue, "{}"u8.ToArray())])),
        new SavedShard(2, 4, "s2", 0, null, new SavedCache([], [], [])),
    ]);

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        ProxyState state = Sample(Now.AddSeconds(-5));
        byte[] file = StateFile.Encode(state);

        Assert.True(StateFile.TryDecode(file, Now, MaxAge, out ProxyState? read, out StateFileStatus status, out string detail), detail);
        Assert.Equal(StateFileStatus.Loaded, status);
        Assert.Equal(state.WrittenAt, read.WrittenAt);
        AssertSame(state, read);
    }

    [Fact]
    public void Write_is_atomic_and_leaves_no_temporary_file()
    {
        string dir = Directory.CreateTempSubdirectory("gp-state-").FullName;
        try
        {
            // The directory does not exist yet: the writer creates it.
            string path = Path.Combine(dir, "sub", "state.bin");
            long size = StateFile.Write(path, Sample(Now));
            Assert.Equal(new FileInfo(path).Length, size);
            Assert.False(File.Exists(path + ".tmp"));
            long second = StateFile.Write(path, Sample(Now.AddSeconds(1)));
            Assert.Equal(new FileInfo(path).Length, second);
            Assert.True(StateFile.TryRead(path, Now, MaxAge, out ProxyState? read, out _, out string detail), detail);
            Assert.Equal(Now.AddSeconds(1), read.WrittenAt);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_is_reported_as_missing()
    {
        string path = Path.Combine(Path.GetTempPath(), "gp-state-" + Guid.NewGuid().ToString("N"), "state.bin");
        Assert.False(StateFile.TryRead(path, Now, MaxAge, out _, out StateFileStatus status, out _));
        Assert.Equal(StateFileStatus.Missing, status);
    }

    [Fact]
    public void Every_truncation_is_rejected_as_truncated()
    {
        byte[] file = StateFile.Encode(Sample(Now));
        for (int length = 0; length < file.Length; length++)
        {
            bool ok = StateFile.TryDecode(file.AsSpan(0, length), Now, MaxAge, out _, out StateFileStatus status, out string detail);
            Assert.False(ok);
            Assert.True(status == StateFileStatus.Truncated, $"cut at {length} of {file.Length}: {status} ({detail})");
        }
    }

    [Fact]
    public void Every_flipped_bit_is_rejected_and_never_misread()
    {
        byte[] original = StateFile.Encode(Sample(Now));
        foreach (byte mask in new byte[] { 0x01, 0x80 })
        {
            for (int i = 0; i < original.Length; i++)
            {
                byte[] file = (byte[])original.Clone();
                file[i] ^= mask;
                bool ok = StateFile.TryDecode(file, Now, MaxAge, out _, out StateFileStatus status, out string detail);
                Assert.False(ok, $"byte {i} ^ {mask:x2} was accepted");
                StateFileStatus expected = i < 4 ? StateFileStatus.BadMagic : i < 6 ? StateFileStatus.VersionMismatch : StateFileStatus.ChecksumMismatch;
                // A flipped length can also make the body look shorter than it claims.
                bool lengthField = i is >= 22 and < 30;
                Assert.True(status == expected || (lengthField && status == StateFileStatus.Truncated), $"byte {i} ^ {mask:x2}: {status} ({detail})");
            }
        }
    }

    [Fact]
    public void Another_format_version_is_a_version_mismatch()
    {
        byte[] file = StateFile.Encode(Sample(Now));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), StateFile.FormatVersion - 1);
        Assert.False(StateFile.TryDecode(file, Now, MaxAge, out _, out StateFileStatus status, out string detail));
        Assert.Equal(StateFileStatus.VersionMismatch, status);
        Assert.Contains($"version {StateFile.FormatVersion - 1},", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_is_not_a_state_file()
    {
        byte[] file = StateFile.Encode(Sample(Now));
        Encoding.ASCII.GetBytes("{\"to").CopyTo(file, 0);
        Assert.False(StateFile.TryDecode(file, Now, MaxAge, out _, out StateFileStatus status, out _));
        Assert.Equal(StateFileStatus.BadMagic, status);
    }

    [Theory]
    [InlineData(121, false)]
    [InlineData(119, true)]
    [InlineData(-121, false)]
    public void A_file_older_than_the_maximum_age_is_stale(int ageSeconds, bool fresh)
    {
        byte[] file = StateFile.Encode(Sample(Now.AddSeconds(-ageSeconds)));
        bool ok = StateFile.TryDecode(file, Now, MaxAge, out _, out StateFileStatus status, out string detail);
        Assert.Equal(fresh, ok);
        Assert.Equal(fresh ? StateFileStatus.Loaded : StateFileStatus.Stale, status);
        if (!fresh)
        {
            Assert.Contains("state_max_age_seconds", detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(4, 0, 4, true, "")]
    [InlineData(8, 0, 8, false, "saved for 4 shards, this proxy runs 8")]
    [InlineData(4, 0, 2, false, "holds shard 2, outside this process's range [0, 2)")]
    [InlineData(4, 1, 4, false, "holds shard 0, outside this process's range [1, 4)")]
    public void Shards_must_fit_the_configured_count_and_range(int total, int start, int end, bool fits, string expected)
    {
        Assert.Equal(fits, StateFile.Fits(Sample(Now), total, start, end, out string detail));
        Assert.Equal(expected, detail);
    }

    private static void AssertSame(ProxyState expected, ProxyState actual)
    {
        Assert.Equal(expected.Shards.Count, actual.Shards.Count);
        for (int i = 0; i < expected.Shards.Count; i++)
        {
            SavedShard e = expected.Shards[i];
            SavedShard a = actual.Shards[i];
            Assert.Equal((e.ShardId, e.ShardCount, e.SessionId, e.Sequence, e.ResumeUrl), (a.ShardId, a.ShardCount, a.SessionId, a.Sequence, a.ResumeUrl));
            Assert.Equal(e.Cache.BotUserJson, a.Cache.BotUserJson);
            Assert.Equal(e.Cache.ApplicationJson, a.Cache.ApplicationJson);
            Assert.Equal(e.Cache.Guilds.Count, a.Cache.Guilds.Count);
            for (int g = 0; g < e.Cache.Guilds.Count; g++)
            {
                Assert.Equal(e.Cache.Guilds[g].Id, a.Cache.Guilds[g].Id);
                Assert.Equal(e.Cache.Guilds[g].GuildCreateJson, a.Cache.Guilds[g].GuildCreateJson);
            }
        }
    }
}
