using System.Numerics;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Log-linear histogram of microseconds (32 sub-buckets per power of two, ~3% resolution): fixed size, no allocation per sample.</summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 5;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[2 * Sub + (64 - SubBits) * Sub];

    /// <summary>Samples recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Records one latency in microseconds (negative counts as 0).</summary>
    public void Record(long micros)
    {
        _counts[Index(Math.Max(0, micros))]++;
        Count++;
    }

    /// <summary>Adds every sample of <paramref name="other"/>.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The value (upper bound of its bucket, µs) below which <paramref name="fraction"/> of the samples fall; 0 when empty.</summary>
    public long Percentile(double fraction)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(_counts.Length - 1);
    }

    private static int Index(long v)
    {
        if (v < 2 * Sub)
        {
            return (int)v;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)v) - SubBits;
        return (2 * Sub) + ((shift - 1) * Sub) + (int)((v >> shift) - Sub);
    }

    private static long UpperBound(int index)
    {
        if (index < 2 * Sub)
        {
            return index;
        }

        var shift = ((index - (2 * Sub)) / Sub) + 1;
        var sub = ((index - (2 * Sub)) % Sub) + Sub;
        return ((sub + 1L) << shift) - 1;
    }
}
