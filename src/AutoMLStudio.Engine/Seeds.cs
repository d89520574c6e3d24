namespace AutoMLStudio.Engine;

/// <summary>
/// Deterministic seed mixing. <see cref="HashCode.Combine{T1,T2}"/> is randomised per process, so it cannot be used
/// where a replay in another process must draw the same numbers.
/// </summary>
public static class Seeds
{
    /// <summary>Mixes two integers into a well-spread, non-negative seed (SplitMix64 finaliser).</summary>
    public static int Combine(int a, int b)
    {
        unchecked
        {
            var z = ((ulong)(uint)a << 32) | (uint)b;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
