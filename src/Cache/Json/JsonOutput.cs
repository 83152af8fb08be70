using System.Buffers;
using System.Buffers.Text;

namespace GatewayProxy.Cache.Json;

/// <summary>Raw writers for hand-assembled compact JSON (the cache stores and emits pre-encoded fragments).</summary>
internal static class JsonOutput
{
    /// <summary>Copies raw bytes.</summary>
    public static void Raw(this IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    /// <summary>Writes one byte.</summary>
    public static void Byte(this IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>Writes <c>"name":</c> (name raw, already valid inside quotes).</summary>
    public static void Key(this IBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        Span<byte> span = output.GetSpan(name.Length + 3);
        span[0] = (byte)'"';
        name.CopyTo(span[1..]);
        span[name.Length + 1] = (byte)'"';
        span[name.Length + 2] = (byte)':';
        output.Advance(name.Length + 3);
    }

    /// <summary>Writes <c>"name":value</c> with a raw value.</summary>
    public static void Property(this IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> rawValue)
    {
        output.Key(name);
        output.Raw(rawValue);
    }

    /// <summary>Writes a signed integer.</summary>
    public static void Int64(this IBufferWriter<byte> output, long value)
    {
        Span<byte> span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    /// <summary>Writes a snowflake as a JSON string, Discord's form.</summary>
    public static void QuotedSnowflake(this IBufferWriter<byte> output, ulong value)
    {
        Span<byte> span = output.GetSpan(22);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }
}
