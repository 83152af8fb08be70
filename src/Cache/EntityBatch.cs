using System.Buffers;

namespace GatewayProxy.Cache;

/// <summary>The entities of one GUILD_CREATE (or list) array, gathered in one pass so the map that keeps them is sized exactly.</summary>
/// <remarks>Writer only; reused for every array (cleared first), so gathering allocates nothing in steady state.</remarks>
internal sealed class EntityBatch
{
    /// <summary>Above this, the byte buffer is let go after use rather than kept for the next guild (a shard rarely sees two huge guilds in a row).</summary>
    private const int KeptBytes = 1 << 20;

    private ArrayBufferWriter<byte> _bytes = new(16 * 1024);
    private ulong[] _ids = new ulong[256];
    private int[] _ends = new int[256];
    private bool[] _notable = new bool[256];

    /// <summary>Entities gathered.</summary>
    public int Count { get; private set; }

    /// <summary>Starts a new array.</summary>
    public void Clear()
    {
        if (_bytes.Capacity > KeptBytes)
        {
            _bytes = new ArrayBufferWriter<byte>(16 * 1024);
        }
        else
        {
            _bytes.ResetWrittenCount();
        }

        Count = 0;
    }

    /// <summary>Adds one entity (its JSON is copied).</summary>
    public void Add(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, Count * 2);
            Array.Resize(ref _ends, Count * 2);
            Array.Resize(ref _notable, Count * 2);
        }

        json.CopyTo(_bytes.GetSpan(json.Length));
        _bytes.Advance(json.Length);
        _ids[Count] = id;
        _ends[Count] = _bytes.WrittenCount;
        _notable[Count] = notable;
        Count++;
    }

    /// <summary>The id of entity <paramref name="index"/>.</summary>
    public ulong IdAt(int index) => _ids[index];

    /// <summary>The JSON length of entity <paramref name="index"/>.</summary>
    public int LengthAt(int index) => _ends[index] - (index == 0 ? 0 : _ends[index - 1]);

    /// <summary>The JSON of entity <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> JsonAt(int index)
    {
        int start = index == 0 ? 0 : _ends[index - 1];
        return _bytes.WrittenSpan[start.._ends[index]];
    }

    /// <summary>The flag of entity <paramref name="index"/>.</summary>
    public bool NotableAt(int index) => _notable[index];
}
