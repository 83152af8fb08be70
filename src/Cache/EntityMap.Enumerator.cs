namespace GatewayProxy.Cache;

/// <summary>Enumeration of an <see cref="EntityMap"/>: allocation-free, except one decompressed copy per compressed chunk.</summary>
internal sealed partial class EntityMap
{
    /// <summary>Walks the chunks in order and each chunk's entities (mutable struct: do not copy while walking).</summary>
    public struct Enumerator
    {
        private readonly EntityChunk?[] _chunks;
        private int _index;
        private EntityChunk? _chunk;
        private byte[] _data;
        private int _inner;

        internal Enumerator(EntityChunk?[] chunks)
        {
            _chunks = chunks;
            _index = -1;
            _chunk = null;
            _data = [];
            _inner = -1;
        }

        /// <summary>The current id and entity.</summary>
        public readonly KeyValuePair<ulong, CachedEntity> Current => new(_chunk!.IdAt(_inner), _chunk.EntityAt(_inner, _data));

        /// <summary>Moves to the next entity; false at the end.</summary>
        public bool MoveNext()
        {
            if (_chunk is not null && ++_inner < _chunk.Count)
            {
                return true;
            }

            while (++_index < _chunks.Length)
            {
                if (_chunks[_index] is { Count: > 0 } chunk)
                {
                    _chunk = chunk;

                    // A compressed chunk is decompressed once per walk (into a copy the walker may keep).
                    _data = chunk.ReadData();
                    _inner = 0;
                    return true;
                }
            }

            _chunk = null;
            return false;
        }
    }
}
