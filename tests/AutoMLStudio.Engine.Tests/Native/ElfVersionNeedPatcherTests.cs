using AutoMLStudio.Engine.Native;

namespace AutoMLStudio.Engine.Tests.Native;

public sealed class ElfVersionNeedPatcherTests
{
    private static byte[] RealLibTorchSharpCopy()
    {
        var path = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        Assert.True(path is not null, $"libLibTorchSharp.so not found under {AppContext.BaseDirectory}");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void Real_LibTorchSharp_strongly_requires_GLIBCXX_3_4_32()
    {
        var requirements = ElfVersionNeedPatcher.StrongRequirements(RealLibTorchSharpCopy());

        Assert.Contains("GLIBCXX_3.4.32", requirements);
    }

    [Fact]
    public void MarkWeak_weakens_only_the_named_version_and_leaves_the_others_strong()
    {
        var bytes = RealLibTorchSharpCopy();
        var before = ElfVersionNeedPatcher.StrongRequirements(bytes);

        var changed = ElfVersionNeedPatcher.MarkWeak(bytes, new HashSet<string> { "GLIBCXX_3.4.32" });
        var after = ElfVersionNeedPatcher.StrongRequirements(bytes);

        Assert.Equal(1, changed);
        Assert.DoesNotContain("GLIBCXX_3.4.32", after);
        Assert.Equal(before.Where(v => v != "GLIBCXX_3.4.32"), after);
        Assert.Equal(0, ElfVersionNeedPatcher.MarkWeak(bytes, new HashSet<string> { "GLIBCXX_3.4.32" }));
    }

    [Fact]
    public void Non_ELF_bytes_are_rejected_with_InvalidDataException()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.StrongRequirements(new byte[128]));
    }
}
