using GatewayProxy.Host.Configuration;
using Xunit;
using static GatewayProxy.Tests.Host.Configuration.ConfigTestData;

namespace GatewayProxy.Tests.Host.Configuration;

public class ConfigErrorTests
{
    [Theory]
    // Wrong values name the field, show the value found and say what is wanted.
    [InlineData("\"ring_size\": 1000", "config.json: \"ring_size\" is 1000, wanted a power of two between 16 and 1048576 (e.g. 1024)")]
    [InlineData("\"ring_size\": 8", "config.json: \"ring_size\" is 8, wanted a power of two between 16 and 1048576 (e.g. 1024)")]
    [InlineData("\"ring_size\": \"4096\"", "config.json: \"ring_size\" is \"4096\", wanted a power of two between 16 and 1048576 (e.g. 1024)")]
    [InlineData("\"cache\": {\"members\": \"yes\"}", "config.json: \"cache.members\" is \"yes\", wanted true or false")]
    [InlineData("\"validate_token\": 1", "config.json: \"validate_token\" is 1, wanted true or false")]
    [InlineData("\"port\": 0", "config.json: \"port\" is 0, wanted an integer between 1 and 65535")]
    [InlineData("\"port\": 65536", "config.json: \"port\" is 65536, wanted an integer between 1 and 65535")]
    [InlineData("\"port\": \"7878\"", "config.json: \"port\" is \"7878\", wanted an integer between 1 and 65535")]
    [InlineData("\"port\": 78.5", "config.json: \"port\" is 78.5, wanted an integer between 1 and 65535")]
    [InlineData("\"port\": null", "config.json: \"port\" is null, wanted an integer between 1 and 65535")]
    [InlineData("\"backpressure\": 0", "config.json: \"backpressure\" is 0, wanted an integer between 1 and 2147483647")]
    [InlineData("\"ring_memory_limit_mb\": 8", "config.json: \"ring_memory_limit_mb\" is 8, wanted an integer between 16 and 1048576")]
    [InlineData("\"ring_memory_limit_mb\": null", "config.json: \"ring_memory_limit_mb\" is null, wanted an integer between 16 and 1048576")]
    [InlineData("\"memory_limit_mb\": 32", "config.json: \"memory_limit_mb\" is 32, wanted an integer between 64 and 1048576 or null")]
    [InlineData("\"memory_limit_mb\": \"1g\"", "config.json: \"memory_limit_mb\" is \"1g\", wanted an integer between 64 and 1048576 or null")]
    [InlineData("\"memory_limit_mb\": 512", "config.json: \"ring_memory_limit_mb\" (4096, the default) must be at most half of \"memory_limit_mb\" (512): the rings live on the GC heap the memory limit caps; set \"ring_memory_limit_mb\" to 256 or less, or raise \"memory_limit_mb\" to 8192 or more")]
    [InlineData("\"memory_limit_mb\": 256, \"ring_memory_limit_mb\": 200", "config.json: \"ring_memory_limit_mb\" (200) must be at most half of \"memory_limit_mb\" (256): the rings live on the GC heap the memory limit caps; set \"ring_memory_limit_mb\" to 128 or less, or raise \"memory_limit_mb\" to 400 or more")]
    [InlineData("\"session_ttl_seconds\": -1", "config.json: \"session_ttl_seconds\" is -1, wanted an integer between 1 and 86400")]
    [InlineData("\"max_connections_per_ip\": 0", "config.json: \"max_connections_per_ip\" is 0, wanted an integer between 1 and 1000000")]
    [InlineData("\"max_connections_per_ip\": null", "config.json: \"max_connections_per_ip\" is null, wanted an integer between 1 and 1000000")]
    [InlineData("\"unauthenticated_timeout_seconds\": 0", "config.json: \"unauthenticated_timeout_seconds\" is 0, wanted an integer between 1 and 3600")]
    [InlineData("\"unauthenticated_timeout_seconds\": 2.5", "config.json: \"unauthenticated_timeout_seconds\" is 2.5, wanted an integer between 1 and 3600")]
    [InlineData("\"state_max_age_seconds\": 0", "config.json: \"state_max_age_seconds\" is 0, wanted an integer between 1 and 86400")]
    [InlineData("\"shards\": 0", "config.json: \"shards\" is 0, wanted an integer between 1 and 1000000 or null")]
    [InlineData("\"shard_start\": -1", "config.json: \"shard_start\" is -1, wanted an integer between 0 and 999999 or null")]
    [InlineData("\"status\": \"busy\"", "config.json: \"status\" is \"busy\", wanted \"online\", \"idle\", \"dnd\", \"invisible\" or \"offline\"")]
    [InlineData("\"status\": \"idel\"", "config.json: \"status\" is \"idel\", wanted \"online\", \"idle\", \"dnd\", \"invisible\" or \"offline\" (did you mean \"idle\"?)")]
    [InlineData("\"log_level\": \"verbose\"", "config.json: \"log_level\" is \"verbose\", wanted \"trace\", \"debug\", \"info\", \"warn\" (or \"warning\") or \"error\"")]
    [InlineData("\"log_level\": 2", "config.json: \"log_level\" is 2, wanted \"trace\", \"debug\", \"info\", \"warn\" (or \"warning\") or \"error\"")]
    [InlineData("\"bind\": \"1\"", "config.json: \"bind\" is \"1\", wanted an IP address to listen on (e.g. \"0.0.0.0\" or \"::\")")]
    [InlineData("\"bind\": \"localhost\"", "config.json: \"bind\" is \"localhost\", wanted an IP address to listen on (e.g. \"0.0.0.0\" or \"::\")")]
    [InlineData("\"twilight_http_proxy\": \"localhost\"", "config.json: \"twilight_http_proxy\" is \"localhost\", wanted \"host:port\" (e.g. \"127.0.0.1:3000\") or null")]
    [InlineData("\"twilight_http_proxy\": \"http://proxy:3000\"", "config.json: \"twilight_http_proxy\" is \"http://proxy:3000\", wanted \"host:port\" (e.g. \"127.0.0.1:3000\") or null")]
    [InlineData("\"externally_accessible_url\": \"proxy:7878\"", "config.json: \"externally_accessible_url\" is \"proxy:7878\", wanted a ws://, wss://, http:// or https:// URL (e.g. \"ws://proxy.internal:7878\") or null")]
    [InlineData("\"activity\": {\"type\": 9, \"name\": \"x\"}", "config.json: \"activity.type\" is 9, wanted an integer between 0 and 5 (0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing)")]
    [InlineData("\"activity\": {\"type\": 0}", "config.json: \"activity.name\" is missing, wanted a non-empty string of at most 128 characters")]
    [InlineData("\"activity\": \"playing\"", "config.json: \"activity\" is \"playing\", wanted an object like {\"type\": 0, \"name\": \"with shard {{shard}}\"} or null")]
    [InlineData("\"cache\": false", "config.json: \"cache\" is false, wanted an object of true/false flags like {\"members\": false}")]
    [InlineData("\"upstream\": {\"compression\": \"gzip\"}", "config.json: \"upstream.compression\" is \"gzip\", wanted \"zlib-stream\", \"zstd-stream\" or \"none\"")]
    [InlineData("\"upstream\": {\"compression\": \"zlib_stream\"}", "config.json: \"upstream.compression\" is \"zlib_stream\", wanted \"zlib-stream\", \"zstd-stream\" or \"none\" (did you mean \"zlib-stream\"?)")]
    [InlineData("\"upstream\": {\"api_base_url\": \"discord.com/api\"}", "config.json: \"upstream.api_base_url\" is \"discord.com/api\", wanted an http:// or https:// URL (e.g. \"https://discord.com/api/v10\")")]
    [InlineData("\"upstream\": {\"gateway_url\": \"https://gateway.discord.gg\"}", "config.json: \"upstream.gateway_url\" is \"https://gateway.discord.gg\", wanted a ws:// or wss:// URL (e.g. \"wss://gateway.discord.gg\") or null")]
    [InlineData("\"upstream\": {\"identify_margin_ms\": -1}", "config.json: \"upstream.identify_margin_ms\" is -1, wanted an integer between 0 and 5000")]
    [InlineData("\"upstream\": {\"identify_margin_ms\": 5001}", "config.json: \"upstream.identify_margin_ms\" is 5001, wanted an integer between 0 and 5000")]
    [InlineData("\"upstream\": {\"identify_margin_ms\": \"1s\"}", "config.json: \"upstream.identify_margin_ms\" is \"1s\", wanted an integer between 0 and 5000")]
    [InlineData("\"state_file\": \" \"", "config.json: \"state_file\" is \" \", wanted a file path (e.g. \"state.bin\") or null")]
    [InlineData("\"ring_sizes\": {\"3\": 1000}", "config.json: \"ring_sizes.3\" is 1000, wanted a power of two between 16 and 1048576 (e.g. 1024)")]
    [InlineData("\"ring_sizes\": {\"03\": 1024}", "config.json: \"ring_sizes\" has the key \"03\", wanted shard ids like \"0\"")]
    [InlineData("\"ring_sizes\": [1024]", "config.json: \"ring_sizes\" is [1024], wanted an object of shard id to ring size like {\"0\": 8192} or null")]
    [InlineData("\"shards\": 4, \"ring_sizes\": {\"4\": 1024}", "config.json: \"ring_sizes.4\" names shard 4, but \"shards\" is 4 (shard ids go up to 3)")]
    // Cross-field rules name both fields and both values.
    [InlineData("\"shard_start\": 2, \"shard_end\": 2", "config.json: \"shard_end\" (2) must be greater than \"shard_start\" (2)")]
    [InlineData("\"shards\": 4, \"shard_end\": 5", "config.json: \"shard_end\" (5) must be at most \"shards\" (4)")]
    [InlineData("\"shards\": 4, \"shard_start\": 4", "config.json: \"shard_start\" (4) must be less than \"shards\" (4)")]
    // Unknown keys, with a suggestion when one is close.
    [InlineData("\"backpresure\": 100", "config.json: unknown key \"backpresure\" (did you mean \"backpressure\"?)")]
    [InlineData("\"Port\": 100", "config.json: unknown key \"Port\" (did you mean \"port\"?)")]
    [InlineData("\"prot\": 100", "config.json: unknown key \"prot\" (did you mean \"port\"?)")]
    [InlineData("\"cache\": {\"member\": true}", "config.json: unknown key \"cache.member\" (did you mean \"cache.members\"?)")]
    [InlineData("\"compression\": \"none\"", "config.json: unknown key \"compression\" (did you mean \"upstream.compression\"?)")]
    [InlineData("\"upstream\": {\"ring_size\": 1024}", "config.json: unknown key \"upstream.ring_size\" (did you mean \"ring_size\"?)")]
    [InlineData("\"activity\": {\"name\": \"x\", \"kind\": 0}", "config.json: unknown key \"activity.kind\"; the accepted keys of \"activity\" are type, name, url")]
    [InlineData("\"port\": 1, \"port\": 2", "config.json: \"port\" appears more than once; keep one")]
    public void Each_error_names_the_field_the_value_and_what_is_wanted(string fields, string expected)
    {
        var errors = ErrorsWith(fields);
        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Unknown_key_without_a_near_miss_lists_the_accepted_keys()
    {
        var error = Assert.Single(ErrorsWith("\"zzzzzzzz\": 1"));
        Assert.StartsWith("config.json: unknown key \"zzzzzzzz\"; the accepted keys are log_level, token, intents,", error);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("67108864")]
    [InlineData("\"32511\"")]
    public void Intents_outside_the_bitfield_are_refused(string value)
    {
        var errors = ErrorsOf($$"""{"token": "{{Token}}", "intents": {{value}}}""");
        Assert.Equal([$"config.json: \"intents\" is {value}, wanted an integer between 0 and 67108863 (the gateway intents bitfield, e.g. 32511)"], errors);
    }

    [Fact]
    public void Missing_intents_is_an_error()
    {
        var errors = ErrorsOf($$"""{"token": "{{Token}}"}""");
        Assert.Equal(["config.json: \"intents\" is missing, wanted an integer between 0 and 67108863 (the gateway intents bitfield, e.g. 32511)"], errors);
    }

    [Fact]
    public void Every_error_in_the_file_is_reported_at_once()
    {
        var json = """
            {
              "token": "",
              "intents": 513,
              "ring_size": 1000,
              "backpresure": 5,
              "cache": {"members": "yes", "roles": null},
              "shard_start": 2,
              "shard_end": 2,
              "status": "away"
            }
            """;

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromJson(json, "config.json", NoEnv));

        string[] expected =
        [
            "config.json: unknown key \"backpresure\" (did you mean \"backpressure\"?)",
            "config.json: no token: set \"token\" in config.json or the TOKEN environment variable",
            "config.json: \"shard_end\" (2) must be greater than \"shard_start\" (2)",
            "config.json: \"status\" is \"away\", wanted \"online\", \"idle\", \"dnd\", \"invisible\" or \"offline\"",
            "config.json: \"cache.members\" is \"yes\", wanted true or false",
            "config.json: \"cache.roles\" is null, wanted true or false",
            "config.json: \"ring_size\" is 1000, wanted a power of two between 16 and 1048576 (e.g. 1024)",
        ];
        Assert.Equal(expected.Order(), e.Errors.Order());
        Assert.StartsWith("7 configuration errors:", e.Message);
        foreach (var error in expected)
        {
            Assert.Contains(error, e.Message);
        }
    }

    [Fact]
    public void Invalid_json_reports_line_and_position()
    {
        var json = "{\n  \"port\": 7878,\n  \"status\" \"idle\"\n}";
        var error = Assert.Single(ErrorsOf(json));
        Assert.StartsWith("config.json: invalid JSON at line 3, position 12: ", error);
        Assert.DoesNotContain("LineNumber", error);
    }

    [Fact]
    public void Empty_file_is_invalid_json()
    {
        var error = Assert.Single(ErrorsOf("   "));
        Assert.StartsWith("config.json: invalid JSON at line 1, position ", error);
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_refused()
    {
        var errors = ErrorsOf("[1, 2]", Env(Token));
        Assert.Equal(["config.json: the document is [1, 2], wanted an object with the settings (see docs/configuration.md)"], errors);
    }

    [Fact]
    public void Errors_are_prefixed_with_the_source_name()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromJson("{\"intents\": 1, \"port\": 0}", "/etc/gp/proxy.json", Env(Token)));
        Assert.Equal(["/etc/gp/proxy.json: \"port\" is 0, wanted an integer between 1 and 65535"], e.Errors);
    }

    [Fact]
    public void A_missing_file_is_a_config_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gp-missing-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, Env(Token)));
        Assert.StartsWith($"{path}: cannot read the file: ", Assert.Single(e.Errors));
    }

    [Fact]
    public void Long_values_are_shortened_in_messages()
    {
        var long1 = new string('x', 500);
        var error = Assert.Single(ErrorsWith($"\"bind\": \"{long1}\""));
        Assert.True(error.Length < 200, error);
        Assert.Contains("…", error);
    }
}
