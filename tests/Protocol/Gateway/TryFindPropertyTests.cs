using System.Text;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class TryFindPropertyTests
{
    private static string? Find(string json, string name, out bool isString)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (!EnvelopeScanner.TryFindProperty(bytes, Encoding.UTF8.GetBytes(name), out int start, out int length, out isString))
        {
            return null;
        }

        return Encoding.UTF8.GetString(bytes, start, length);
    }

    [Fact]
    public void Finds_a_string_value_without_quotes()
    {
        Assert.Equal("81384788765712384", Find("{\"id\":1,\"guild_id\":\"81384788765712384\",\"x\":2}", "guild_id", out bool isString));
        Assert.True(isString);
    }

    [Theory]
    [InlineData("{\"nonce\":42}", "42")]
    [InlineData("{ \"nonce\" :\t{\"a\":[1,\"}\"]} }", "{\"a\":[1,\"}\"]}")]
    [InlineData("{\"nonce\":null}", "null")]
    [InlineData("{\"nonce\":[1,2]}", "[1,2]")]
    public void Finds_a_raw_token_for_other_values(string json, string expected)
    {
        Assert.Equal(expected, Find(json, "nonce", out bool isString));
        Assert.False(isString);
    }

    [Theory]
    [InlineData("{\"a\":{\"guild_id\":\"1\"}}")]
    [InlineData("{\"a\":[{\"guild_id\":\"1\"}]}")]
    [InlineData("{\"a\":\"\\\"guild_id\\\":\\\"1\\\"\"}")]
    [InlineData("{\"guild_id_x\":\"1\"}")]
    [InlineData("{\"guild\":\"1\"}")]
    [InlineData("{}")]
    [InlineData("[{\"guild_id\":\"1\"}]")]
    [InlineData("{\"a\":tru,\"guild_id\":\"1\"}")]
    [InlineData("{\"a\":\"unterminated,\"guild_id\":\"1\"")]
    public void Never_matches_nested_or_in_string_names_or_past_malformed_input(string json) => Assert.Null(Find(json, "guild_id", out _));

    [Fact]
    public void Matches_an_escaped_key_and_takes_the_first_of_duplicates()
    {
        Assert.Equal("2", Find("{\"a\":{\"nonce\":1},\"n\\u006fnce\":\"2\",\"nonce\":\"3\"}", "nonce", out _));
    }

    [Theory]
    [InlineData("0", true, 0UL)]
    [InlineData("81384788765712384", true, 81384788765712384UL)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData("", false, 0UL)]
    [InlineData("-1", false, 0UL)]
    [InlineData("12a", false, 0UL)]
    [InlineData(" 12", false, 0UL)]
    public void Snowflakes_parse_only_from_digits_that_fit(string digits, bool ok, ulong expected)
    {
        Assert.Equal(ok, EnvelopeScanner.TryParseSnowflake(Encoding.ASCII.GetBytes(digits), out ulong id));
        Assert.Equal(expected, id);
    }
}
