namespace GatewayProxy.Cache;

/// <summary>Allocation-free enumeration of an <see cref="EntityMap"/>.</summary>
internal sealed partial class EntityMap
{
    /// <summary>Walks the chunks in order and each chunk's entities (mutable struct: do not copy while walking).</summary>
    public struct Enumerator
    {
        private readonly EntityChunk?[] _chunks;
        private int _index;
        private EntityChunk? _chunk;
        private int _inner;

        internal Enumerator(EntityChunk?[] chunks)
        {
            _chunks = chunks;
            _index = -1;
            _chunk = null;
            _inner = -1;
        }

        /// <summary>The current id and entity.</summary>
        public readonly KeyValuePair<ulong, CachedEntity> Current => new(_chunk!.IdAt(_inner), _chunk.EntityAt(_inner));

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
                    _inner = 0;
                    return true;
                }
            }

            _chunk = null;
            return false;
        }
    }
}
