using System.Text;

namespace GatewayProxy.Protocol.Gateway;

internal static partial class JsonSyntax
{
    /// <summary>Decodes the raw content of a string whose escapes were already checked by <see cref="TryFindStringEnd"/> into UTF-8.</summary>
    /// <returns>False when <paramref name="destination"/> is too small or an escape is a lone surrogate (no valid UTF-8).</returns>
    internal static bool TryUnescape(ReadOnlySpan<byte> raw, Span<byte> destination, out int written)
    {
        written = 0;
        int i = 0;
        while (i < raw.Length)
        {
            byte b = raw[i];
            if (b != '\\')
            {
                if (written >= destination.Length)
                {
                    return false;
                }

                destination[written++] = b;
                i++;
                continue;
            }

            byte e = raw[i + 1];
            if (e != 'u')
            {
                if (written >= destination.Length)
                {
                    return false;
                }

                destination[written++] = e switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => e, // '"', '\\', '/'
                };
                i += 2;
                continue;
            }

            _ = TryParseHex4(raw.Slice(i + 2, 4), out int unit);
            i += 6;
            int scalar = unit;
            if (char.IsHighSurrogate((char)unit))
            {
                // A pair is two escapes in a row; anything else leaves a lone surrogate.
                if (i + 6 > raw.Length || raw[i] != '\\' || raw[i + 1] != 'u' || !TryParseHex4(raw.Slice(i + 2, 4), out int low) || !char.IsLowSurrogate((char)low))
                {
                    return false;
                }

                scalar = char.ConvertToUtf32((char)unit, (char)low);
                i += 6;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                return false;
            }

            if (!new Rune(scalar).TryEncodeToUtf8(destination.Slice(written), out int n))
            {
                return false;
            }

            written += n;
        }

        return true;
    }
}
