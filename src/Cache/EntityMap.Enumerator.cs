namespace GatewayProxy.Cache;

/// <summary>Allocation-free enumeration of an <see cref="EntityMap"/>.</summary>
internal sealed partial class EntityMap
{
    /// <summary>Walks the chunks in order and each chunk's entries (mutable struct: do not copy while walking).</summary>
    public struct Enumerator
    {
        private readonly EntityChunk?[] _chunks;
        private int _index;
        private Dictionary<ulong, CachedEntity>.Enumerator _inner;
        private bool _inChunk;

        internal Enumerator(EntityChunk?[] chunks)
        {
            _chunks = chunks;
            _index = -1;
            _inner = default;
            _inChunk = false;
        }

        /// <summary>The current id and entity.</summary>
        public KeyValuePair<ulong, CachedEntity> Current => _inner.Current;

        /// <summary>Moves to the next entity; false at the end.</summary>
        public bool MoveNext()
        {
            while (true)
            {
                if (_inChunk && _inner.MoveNext())
                {
                    return true;
                }

                _inChunk = false;
                while (++_index < _chunks.Length)
                {
                    if (_chunks[_index] is { Count: > 0 } chunk)
                    {
                        _inner = chunk.GetEnumerator();
                        _inChunk = true;
                        break;
                    }
                }

                if (!_inChunk)
                {
                    return false;
                }
            }
        }
    }
}
