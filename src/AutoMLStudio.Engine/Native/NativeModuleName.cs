namespace AutoMLStudio.Engine.Native;

/// <summary>
/// For the base-constructor argument of custom TorchSharp modules: TorchSharp's <c>Module</c> constructor calls into
/// the native library, which must be loaded (and patched where needed) before it, not in the derived constructor's body.
/// </summary>
internal static class NativeModuleName
{
    /// <summary>Loads the native library, then returns <paramref name="name"/>.</summary>
    public static string AfterLoading(string name)
    {
        TorchNative.EnsureLoaded();
        return name;
    }
}
