using GatewayProxy.Host.Configuration;
using Xunit;
using static GatewayProxy.Tests.Host.Configuration.ConfigTestData;

namespace GatewayProxy.Tests.Host.Configuration;

public class ConfigTokenTests
{
    private const string FileToken = "RmlsZVRva2Vu.file.token123";

    [Fact]
    public void Token_comes_from_the_environment_when_the_file_has_none()
    {
        var config = ConfigLoader.LoadFromJson("""{"token": "", "intents": 1}""", "config.json", Env(Token));
        Assert.Equal(Token, config.Token);
    }

    [Fact]
    public void Token_comes_from_the_environment_when_the_file_omits_it()
    {
        var config = ConfigLoader.LoadFromJson("""{"intents": 1}""", "config.json", Env(Token));
        Assert.Equal(Token, config.Token);
    }

    [Fact]
    public void Environment_token_wins_over_the_file_token()
    {
        var config = ConfigLoader.LoadFromJson($$"""{"token": "{{FileToken}}", "intents": 1}""", "config.json", Env(Token));
        Assert.Equal(Token, config.Token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void File_token_is_used_when_the_environment_variable_is_unset_or_empty(string? environment)
    {
        var config = ConfigLoader.LoadFromJson($$"""{"token": "{{FileToken}}", "intents": 1}""", "config.json", Env(environment));
        Assert.Equal(FileToken, config.Token);
    }

    [Fact]
    public void Surrounding_whitespace_of_a_token_is_dropped()
    {
        // Kubernetes secrets mounted from files often end with a newline.
        var config = ConfigLoader.LoadFromJson("""{"intents": 1}""", "config.json", Env(Token + "\n"));
        Assert.Equal(Token, config.Token);
    }

    [Theory]
    [InlineData("""{"token": "", "intents": 1}""")]
    [InlineData("""{"intents": 1}""")]
    [InlineData("""{"token": null, "intents": 1}""")]
    public void No_token_anywhere_is_an_error_that_says_where_to_put_one(string json) =>
        Assert.Equal(["config.json: no token: set \"token\" in config.json or the TOKEN environment variable"], ErrorsOf(json));

    [Fact]
    public void A_token_with_the_bot_prefix_is_refused_without_showing_it()
    {
        var error = Assert.Single(ErrorsOf($$"""{"token": "Bot {{Token}}", "intents": 1}"""));
        Assert.Equal("config.json: \"token\" starts with \"Bot \", wanted the bare bot token (the proxy adds \"Bot \" itself)", error);
        Assert.DoesNotContain(Token, error);
    }

    [Fact]
    public void A_malformed_environment_token_is_named_as_the_environment_variable()
    {
        var error = Assert.Single(ErrorsOf("""{"intents": 1}""", Env("abc def")));
        Assert.Equal("config.json: the TOKEN environment variable contains whitespace, wanted the bare bot token", error);
    }

    [Fact]
    public void A_token_of_the_wrong_type_is_described_by_kind_never_by_value()
    {
        var errors = ErrorsOf("""{"token": 98765432123456789, "intents": 1}""", Env(Token));
        Assert.Equal(["config.json: \"token\" is a number, wanted a string (the bot token) or null"], errors);
    }

    [Fact]
    public void ToString_never_contains_the_token()
    {
        var config = ConfigLoader.LoadFromJson("""{"intents": 1}""", "config.json", Env(Token));

        var text = config.ToString();

        Assert.DoesNotContain(Token, text);
        Assert.Contains("\"token\":\"[redacted]\"", text);
        Assert.Contains("\"intents\":1", text);
        Assert.Equal(Token, config.Token);
    }

    [Fact]
    public void Redacted_copy_differs_only_in_the_token()
    {
        var config = LoadWith("\"port\": 4000, \"status\": \"dnd\"");

        var redacted = config.Redacted();

        Assert.Equal("[redacted]", redacted.Token);
        Assert.Equal(["token"], ConfigDiff.ChangedFields(config, redacted));
    }

    [Fact]
    public void ToString_output_loads_back_to_the_same_configuration()
    {
        var config = LoadWith("""
            "shards": 4, "activity": {"type": 3, "name": "shard {{shard}}"}, "ring_sizes": {"1": 64},
            "upstream": {"compression": "none"}, "log_level": "debug", "state_file": "s.bin"
            """);

        var reloaded = ConfigLoader.LoadFromJson(config.ToString(), "round-trip", Env(Token));

        Assert.Empty(ConfigDiff.ChangedFields(config, reloaded));
    }
}
