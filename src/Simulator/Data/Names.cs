namespace GatewayProxy.Simulator.Data;

/// <summary>Word lists for readable generated names.</summary>
internal static class Names
{
    private static readonly string[] Adjectives = ["amber", "brisk", "calm", "dusky", "eager", "fuzzy", "gentle", "hazy", "icy", "jolly", "keen", "lucky", "mellow", "nimble", "odd", "proud", "quiet", "rapid", "sunny", "tidy", "upbeat", "vivid", "witty", "young", "zesty"];
    private static readonly string[] Nouns = ["otter", "falcon", "maple", "comet", "harbor", "lantern", "meadow", "pixel", "quartz", "river", "summit", "tundra", "violet", "willow", "yarrow", "zephyr", "badger", "cedar", "delta", "ember"];
    private static readonly string[] Topics = ["general", "random", "memes", "music", "gaming", "help", "dev", "art", "news", "off-topic", "support", "media"];
    private static readonly string[] Words = ["hello", "there", "anyone", "seen", "the", "new", "update", "lol", "nice", "work", "today", "later", "ping", "pong", "deploy", "coffee", "shard", "gateway", "héllo", "ünïcode", "✨", "🚀"];

    /// <summary>"adjective noun" chosen by <paramref name="rng"/>.</summary>
    public static string Pair(Random rng) => $"{Adjectives[rng.Next(Adjectives.Length)]} {Nouns[rng.Next(Nouns.Length)]}";

    /// <summary>A username: lower-case, no spaces, with a number.</summary>
    public static string User(Random rng) => $"{Adjectives[rng.Next(Adjectives.Length)]}_{Nouns[rng.Next(Nouns.Length)]}{rng.Next(1000)}";

    /// <summary>A text channel name.</summary>
    public static string Channel(Random rng, int index) => index < Topics.Length ? Topics[index] : $"{Topics[rng.Next(Topics.Length)]}-{index}";

    /// <summary>A short chat message (some non-ASCII included on purpose).</summary>
    public static string Sentence(Random rng)
    {
        var count = 3 + rng.Next(8);
        var parts = new string[count];
        for (var i = 0; i < count; i++)
        {
            parts[i] = Words[rng.Next(Words.Length)];
        }

        return string.Join(' ', parts);
    }
}
