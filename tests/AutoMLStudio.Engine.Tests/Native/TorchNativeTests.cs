using AutoMLStudio.Engine.Native;

namespace AutoMLStudio.Engine.Tests.Native;

public sealed class TorchNativeTests
{
    private static readonly string[] Requirements = ["GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "CXXABI_1.3.13"];

    [Fact]
    public void Nothing_is_patched_where_the_system_libstdcxx_has_every_version()
    {
        Assert.Empty(TorchNative.VersionsToWeaken(Requirements, _ => true));
    }

    [Fact]
    public void Only_the_known_unused_version_is_weakened_where_the_system_lacks_it()
    {
        Assert.Equal(["GLIBCXX_3.4.32"], TorchNative.VersionsToWeaken(Requirements, _ => false));
    }

    [Fact]
    public void This_machine_gets_the_answer_its_libstdcxx_calls_for()
    {
        var result = TorchNative.EnsureLoaded();
        var systemHasIt = SystemLibStdCxx.Provides("GLIBCXX_3.4.32");

        Assert.Equal(!systemHasIt, result.Patched);
        Assert.True(File.Exists(result.LibraryPath));
        Assert.True(SystemLibStdCxx.Provides("GLIBCXX_3.4.30"), "the libstdc++ probe cannot read this system's versions");
    }
}
