namespace GatewayProxy.Ring;

/// <summary>Member sets read without a lock (the producer's gating set, a trim's readers and pins, the rings of a
/// process) and changed under one: each change builds a new array, so a reader always sees a whole set.</summary>
internal static class CopyOnWriteArray
{
    /// <summary>A new array: <paramref name="set"/> followed by <paramref name="item"/>.</summary>
    public static T[] With<T>(T[] set, T item)
    {
        var updated = new T[set.Length + 1];
        set.CopyTo(updated, 0);
        updated[^1] = item;
        return updated;
    }

    /// <summary>A new array without <paramref name="item"/>; <paramref name="set"/> itself when it does not hold it.</summary>
    public static T[] Without<T>(T[] set, T item)
        where T : class
    {
        int index = Array.IndexOf(set, item);
        if (index < 0) return set;
        var updated = new T[set.Length - 1];
        Array.Copy(set, 0, updated, 0, index);
        Array.Copy(set, index + 1, updated, index, set.Length - index - 1);
        return updated;
    }
}
