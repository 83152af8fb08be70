using System.Buffers.Binary;
using System.Text;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Maps dispatch names to <see cref="EventKind"/> and back, without allocating per lookup.</summary>
public static class EventKinds
{
    /// <summary>Longer names cannot be known ones (the longest is well under this).</summary>
    internal const int MaxNameLength = 64;

    // Open addressing with linear probing; 256 buckets keeps the load under 40 %. 0 marks an empty bucket
    // (EventKind.None is never stored).
    private const int BucketMask = 255;

    private static readonly string[] Names;
    private static readonly byte[][] Utf8Names;
    private static readonly ushort[] Buckets = new ushort[BucketMask + 1];

    static EventKinds()
    {
        EventKind[] kinds = Enum.GetValues<EventKind>();
        int count = 0;
        foreach (EventKind kind in kinds)
        {
            count = Math.Max(count, (int)kind + 1);
        }

        Names = new string[count];
        Utf8Names = new byte[count][];
        foreach (EventKind kind in kinds)
        {
            string name = ToScreamingSnakeCase(kind.ToString());
            Names[(int)kind] = name;
            Utf8Names[(int)kind] = Encoding.UTF8.GetBytes(name);
            if (kind is EventKind.None or EventKind.Unknown)
            {
                continue;
            }

            int bucket = Hash(Utf8Names[(int)kind]) & BucketMask;
            while (Buckets[bucket] != 0)
            {
                bucket = (bucket + 1) & BucketMask;
            }

            Buckets[bucket] = (ushort)kind;
        }
    }

    /// <summary>The kind for a UTF-8 event name; <see cref="EventKind.Unknown"/> when the name is not known.</summary>
    public static EventKind FromName(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.IsEmpty || utf8Name.Length > MaxNameLength)
        {
            return EventKind.Unknown;
        }

        int bucket = Hash(utf8Name) & BucketMask;
        ushort candidate;
        while ((candidate = Buckets[bucket]) != 0)
        {
            if (utf8Name.SequenceEqual(Utf8Names[candidate]))
            {
                return (EventKind)candidate;
            }

            bucket = (bucket + 1) & BucketMask;
        }

        return EventKind.Unknown;
    }

    /// <summary>The wire name (<c>"GUILD_CREATE"</c>); <c>"UNKNOWN"</c> for Unknown and out-of-range values, <c>"NONE"</c> for None.</summary>
    public static string ToName(EventKind kind) => (uint)kind < (uint)Names.Length ? Names[(int)kind] : Names[(int)EventKind.Unknown];

    /// <summary>The wire name as UTF-8 bytes (see <see cref="ToName"/>).</summary>
    public static ReadOnlySpan<byte> ToUtf8Name(EventKind kind) => (uint)kind < (uint)Utf8Names.Length ? Utf8Names[(int)kind] : Utf8Names[(int)EventKind.Unknown];

    /// <summary>Every known dispatch kind (without None and Unknown).</summary>
    public static ReadOnlySpan<EventKind> All => AllKinds;

    private static readonly EventKind[] AllKinds = Array.FindAll(Enum.GetValues<EventKind>(), k => k is not (EventKind.None or EventKind.Unknown));

    // Names are 5 to ~40 bytes of [A-Z_]: length plus the first and last eight bytes tell them apart well enough.
    private static int Hash(ReadOnlySpan<byte> name)
    {
        ulong h;
        if (name.Length >= 8)
        {
            ulong head = BinaryPrimitives.ReadUInt64LittleEndian(name);
            ulong tail = BinaryPrimitives.ReadUInt64LittleEndian(name[^8..]);
            h = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)name.Length;
        }
        else
        {
            h = 0xCBF29CE484222325UL;
            foreach (byte b in name)
            {
                h = (h ^ b) * 0x100000001B3UL;
            }
        }

        return (int)(h ^ (h >> 29) ^ (h >> 47));
    }

    private static string ToScreamingSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }
}
