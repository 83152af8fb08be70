using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace GatewayProxy.Tests.Protocol.Gateway;

/// <summary>A generated gateway payload and the sequence to splice into it.</summary>
public sealed record GatewaySample(string Json, long NewSeq)
{
    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Json);

    public override string ToString() => $"{Json}  (new s = {NewSeq})";
}

/// <summary>Generators of gateway payloads: any key order, whitespace, escapes, unicode and decoy keys inside d.</summary>
public static class GatewayJsonGen
{
    private static readonly Gen<string> NoWhitespace = Gen.Constant(string.Empty);

    private static readonly Gen<string> Whitespace = Gen.Frequency(
        (5, Gen.Constant(string.Empty)),
        (2, Gen.Elements(" ", "\t", "\n", "\r\n", "  ", " \t\r\n ")));

    // Pieces of string content as they appear inside the quotes: escapes, decoys that look like the envelope, raw non-ASCII.
    private static readonly Gen<string> StringPiece = Gen.Elements(
        "a", "s", "op", "t", "d", "Z", " ", "0", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b\\f\\r", "\\u00e9", "\\u0073", "\\ud83d\\ude00",
        "é", "日本", "😀", "\\\"s\\\":123", "\\\"s\\\":", "{", "}", "[", "]", ",", ":", "\\\\\\\"");

    private static readonly Gen<string> JsonString = StringPiece.ListOf().Select(pieces => "\"" + string.Concat(pieces) + "\"");

    private static readonly Gen<string> Number = Gen.Elements("0", "-0", "123", "-7", "3.25", "1e10", "-2.5E-3", "9007199254740993", "1E+2", "41250");

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (3, JsonString),
        (2, Number),
        (1, Gen.Elements("true", "false", "null")));

    // Nested keys, distinct after unescaping (JsonNode rejects duplicates): the envelope's own names are decoys here.
    private static readonly string[] NestedKeys = ["\"s\"", "\"op\"", "\"t\"", "\"d\"", "\"id\"", "\"guild_id\"", "\"s\\\"q\"", "\"\\u00e9t\\u00e9\"", "\"日本\"", "\"nonce\""];

    /// <summary>Any JSON value, nesting bounded by <paramref name="size"/>, with <paramref name="ws"/> between tokens.</summary>
    public static Gen<string> Value(int size, Gen<string> ws) => size <= 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (2, Object(size / 2, ws)),
            (2, Array(size / 2, ws)));

    private static Gen<string> Object(int size, Gen<string> ws) =>
        from keys in Gen.Shuffle(NestedKeys)
        from count in Gen.Choose(0, 4)
        from members in Gen.CollectToArray(keys.Take(count).Select(key => Member(key, Value(size, ws), ws)))
        from closing in ws
        select "{" + string.Join(",", members) + closing + "}";

    private static Gen<string> Array(int size, Gen<string> ws) =>
        from items in (from before in ws from v in Value(size, ws) from after in ws select before + v + after).ListOf(4)
        from inner in ws
        select "[" + (items.Count == 0 ? inner : string.Join(",", items)) + "]";

    private static Gen<string> Member(string key, Gen<string> value, Gen<string> ws) =>
        from w1 in ws
        from w2 in ws
        from w3 in ws
        from v in value
        from w4 in ws
        select w1 + key + w2 + ":" + w3 + v + w4;

    private static readonly Gen<string> EventName = Gen.Elements(
        "\"MESSAGE_CREATE\"", "\"GUILD_CREATE\"", "\"TYPING_START\"", "\"READY\"", "\"SOME_FUTURE_EVENT\"", "\"MESSAGE\\u005fCREATE\"", "\"\"", "\"é\"");

    private static readonly Gen<long> SeqValue = Gen.Frequency(
        (4, Gen.Choose(0, int.MaxValue).Select(i => (long)i)),
        (1, Gen.Elements(0L, 1L, 9L, 10L, 99L, 100L, 4294967296L, 999_999_999_999L, long.MaxValue)));

    private static readonly Gen<string> SeqToken = Gen.Frequency(
        (4, SeqValue.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Constant("null")));

    private static readonly Gen<string> OpToken = Gen.Frequency(
        (5, Gen.Choose(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Elements("31", "-1", "2147483647", "-2147483648")));

    /// <summary>Envelopes with t, s, op, d in any order, t/s/d sometimes absent, escaped keys, an unknown extra key, any whitespace.</summary>
    public static Gen<string> AnyEnvelope =>
        Gen.Sized(size =>
            from op in OpToken
            from opKey in Gen.Elements("\"op\"", "\"\\u006fp\"", "\"o\\u0070\"")
            from hasT in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from t in Gen.Frequency((3, EventName), (1, Gen.Constant("null")))
            from hasS in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from s in SeqToken
            from sKey in Gen.Elements("\"s\"", "\"s\"", "\"\\u0073\"")
            from hasD in Gen.Frequency((6, Gen.Constant(true)), (1, Gen.Constant(false)))
            from extra in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.Elements<string?>("\"_trace\"", "\"x\"", "\"sd\"", "\"\\u0074t\"")))
            let d = Value(Math.Min(size, 40), Whitespace)
            let keys = new List<(string Key, Gen<string> Value)>
            {
                (opKey, Gen.Constant(op)),
            }
            let withT = hasT ? Add(keys, ("\"t\"", Gen.Constant(t))) : keys
            let withS = hasS ? Add(withT, (sKey, Gen.Constant(s))) : withT
            let withD = hasD ? Add(withS, ("\"d\"", d)) : withS
            let all = extra is null ? withD : Add(withD, (extra, Value(4, Whitespace)))
            from order in Gen.Shuffle(all.ToArray())
            from members in Gen.CollectToArray(order.Select(m => Member(m.Key, m.Value, Whitespace)))
            from lead in Whitespace
            from inner in Whitespace
            from trail in Whitespace
            select lead + "{" + string.Join(",", members) + inner + "}" + trail);

    /// <summary>Compact envelopes in Discord's wire order <c>{"t":…,"s":…,"op":…,"d":…}</c>, the fast path's shape.</summary>
    public static Gen<string> WireOrderEnvelope =>
        Gen.Sized(size =>
            from t in Gen.Frequency((4, Gen.Elements("\"MESSAGE_CREATE\"", "\"GUILD_CREATE\"", "\"TYPING_START\"", "\"SOME_FUTURE_EVENT\"", "\"ready\"", "\"X1_2\"")), (1, Gen.Constant("null")))
            from s in SeqToken
            from op in Gen.Choose(0, 11)
            from d in Value(Math.Min(size, 40), NoWhitespace)
            select "{\"t\":" + t + ",\"s\":" + s + ",\"op\":" + op.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"d\":" + d + "}");

    private static List<(string Key, Gen<string> Value)> Add(List<(string Key, Gen<string> Value)> list, (string Key, Gen<string> Value) item) => [.. list, item];

    /// <summary>A payload plus a new sequence number (0 to long.MaxValue).</summary>
    public static Gen<GatewaySample> Samples(Gen<string> payloads) =>
        from json in payloads
        from newSeq in SeqValue
        select new GatewaySample(json, newSeq);
}

/// <summary>Registers the generators with FsCheck.</summary>
public static class GatewayArbitraries
{
    public static Arbitrary<GatewaySample> Sample() => GatewayJsonGen.Samples(GatewayJsonGen.AnyEnvelope).ToArbitrary();
}

/// <summary>Registers the wire-order generator with FsCheck.</summary>
public static class WireOrderArbitraries
{
    public static Arbitrary<GatewaySample> Sample() => GatewayJsonGen.Samples(GatewayJsonGen.WireOrderEnvelope).ToArbitrary();
}
