using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Backbones;

[Collection(TorchCollection.Name)]
public sealed class BackboneWeightsTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public BackboneWeightsTests() => TorchNative.EnsureLoaded();

    public void Dispose() => _folders.Dispose();

    /// <summary>Stands in for torchvision's ImageNet weights: random weights, measured batch-norm statistics, 1000 classes.</summary>
    private static BackboneClassifier Pretrained(string architecture)
    {
        torch.manual_seed(1);
        var model = BackboneFactory.Build(new BackboneSpec(architecture, 3, 32, BackboneArchitectures.ImageNetClasses));
        StandInWeights.Apply(model);
        return model;
    }

    private static BackboneClassifier Fresh(string architecture, int classes = 12, int channels = 3)
    {
        torch.manual_seed(2);
        return BackboneFactory.Build(new BackboneSpec(architecture, channels, 32, classes));
    }

    private string WriteExportsd(IEnumerable<(string Name, Tensor Value)> stateDict, string name = "weights.dat")
    {
        var path = Path.Combine(_folders.New(), name);
        ExportsdFile.Write(path, stateDict);
        return path;
    }

    private string WriteBytes(byte[] bytes)
    {
        var path = Path.Combine(_folders.New(), "weights.dat");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18)]
    [InlineData(BackboneArchitectures.MobileNetV2)]
    public void A_file_written_as_exportsd_writes_it_loads_every_tensor_but_the_head(string architecture)
    {
        using var source = Pretrained(architecture);
        var path = WriteExportsd(ExportsdFile.StateOf(source));
        using var model = Fresh(architecture, classes: 12, channels: 1);
        var freshHead = model.state_dict()[$"{model.HeadName}.weight"].clone();

        var report = BackboneWeights.Load(model, path);

        Assert.True(report.Fits);
        Assert.Equal(1000, report.HeadClasses);
        Assert.Equal(source.parameters().Sum(p => p.numel()), report.Parameters);
        var loaded = model.state_dict();
        foreach (var (name, tensor) in source.state_dict().Where(kv => !kv.Key.StartsWith(model.HeadName + ".", StringComparison.Ordinal)))
            Assert.True(Same(tensor, loaded[name]), $"{name} differs from the file");
        Assert.True(Same(freshHead, loaded[$"{model.HeadName}.weight"]), "the head must keep its own initialisation");
        Assert.Contains("fits", report.Message);

        // The same weights compute the same features: a gray image through the loaded model, its RGB copy through the source.
        source.eval();
        model.eval();
        using var scope = torch.NewDisposeScope();
        var gray = torch.rand(3, 1, 32, 32);
        var expected = source.ExtractFeatures(gray.expand(-1, 3, -1, -1));
        Assert.True(StandInWeights.Spread(expected) > 0.01, "the features must depend on the image");
        Assert.True(torch.allclose(expected, model.ExtractFeatures(gray), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Float64_weights_without_batch_counters_or_head_load_as_float32()
    {
        using var source = Pretrained(BackboneArchitectures.MobileNetV2);
        var state = ExportsdFile.StateOf(source)
            .Where(e => !e.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !e.Name.StartsWith("classifier.", StringComparison.Ordinal))
            .Select(e => (e.Name, e.Value.to_type(ScalarType.Float64)));
        var path = WriteExportsd(state);
        using var model = Fresh(BackboneArchitectures.MobileNetV2);

        var report = BackboneWeights.Load(model, path);

        Assert.Null(report.HeadClasses);
        Assert.Equal(ScalarType.Float32, model.state_dict()["features.3.conv.1.0.weight"].dtype);
        Assert.True(torch.allclose(source.state_dict()["features.3.conv.1.0.weight"], model.state_dict()["features.3.conv.1.0.weight"]));
    }

    [Fact]
    public void A_head_for_another_class_count_is_accepted_but_not_its_input_width()
    {
        using var source = Pretrained(BackboneArchitectures.ResNet18);
        var state = ExportsdFile.StateOf(source);
        Replace(state, "fc.weight", torch.zeros(10, 512));
        Replace(state, "fc.bias", torch.zeros(10));
        Assert.Equal(10, BackboneWeights.Inspect(BackboneArchitectures.ResNet18, WriteExportsd(state)).HeadClasses);

        Replace(state, "fc.weight", torch.zeros(10, 256));
        var report = BackboneWeights.Inspect(BackboneArchitectures.ResNet18, WriteExportsd(state));

        var mismatch = Assert.Single(report.ShapeMismatches);
        Assert.Equal("fc.weight is [10, 256] in the file, not [any, 512]", mismatch.ToString());
    }

    [Fact]
    public void A_renamed_tensor_is_reported_as_missing_under_its_name_and_unexpected_under_the_new_one()
    {
        using var source = Pretrained(BackboneArchitectures.ResNet18);
        var state = ExportsdFile.StateOf(source);
        var i = state.FindIndex(e => e.Name == "layer3.1.bn2.running_var");
        state[i] = ("layer3.1.bn_2.running_var", state[i].Value);
        var path = WriteExportsd(state, "resnet18.dat");
        using var model = Fresh(BackboneArchitectures.ResNet18);

        var error = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(model, path));

        Assert.Contains("'resnet18.dat' does not fit resnet18", error.Message);
        Assert.Contains("1 tensor missing: layer3.1.bn2.running_var", error.Message);
        Assert.Contains("1 tensor that resnet18 does not have: layer3.1.bn_2.running_var", error.Message);
        Assert.Contains("exportsd.save_state_dict", error.Message);
        var report = BackboneWeights.Inspect(BackboneArchitectures.ResNet18, path);
        Assert.Equal(["layer3.1.bn2.running_var"], report.Missing);
        Assert.Equal(["layer3.1.bn_2.running_var"], report.Unexpected);
        Assert.Null(report.Hint);
    }

    [Fact]
    public void A_wrong_shape_names_the_tensor_and_both_shapes_and_nothing_is_loaded()
    {
        using var source = Pretrained(BackboneArchitectures.ResNet18);
        var state = ExportsdFile.StateOf(source);
        Replace(state, "conv1.weight", torch.zeros(64, 1, 7, 7));
        var path = WriteExportsd(state);
        using var model = Fresh(BackboneArchitectures.ResNet18);
        var before = model.state_dict()["layer1.0.conv1.weight"].clone();

        var error = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(model, path));

        Assert.Contains("1 tensor of another shape: conv1.weight is [64, 1, 7, 7] in the file, not [64, 3, 7, 7]", error.Message);
        Assert.True(Same(before, model.state_dict()["layer1.0.conv1.weight"]), "a file that does not fit must load nothing");
    }

    [Fact]
    public void Missing_tensors_are_listed_first_few_with_their_count()
    {
        using var source = Pretrained(BackboneArchitectures.MobileNetV2);
        var state = ExportsdFile.StateOf(source).Where(e => !e.Name.StartsWith("features.17.", StringComparison.Ordinal)).ToList();
        var path = WriteExportsd(state);

        var report = BackboneWeights.Inspect(BackboneArchitectures.MobileNetV2, path);

        // features.17 has three convolutions and three batch norms; the batch counters may be absent.
        Assert.Equal(3 + 3 * 4, report.Missing.Count);
        Assert.False(report.Fits);
        Assert.Contains("15 tensors missing: features.17.", report.Message);
        Assert.Contains(" and 10 more", report.Message);
    }

    [Fact]
    public void Keys_with_DataParallels_module_prefix_get_a_hint_to_export_the_inner_model()
    {
        using var source = Pretrained(BackboneArchitectures.ResNet18);
        var path = WriteExportsd(ExportsdFile.StateOf(source).Select(e => ("module." + e.Name, e.Value)));

        var report = BackboneWeights.Inspect(BackboneArchitectures.ResNet18, path);

        Assert.Equal(122, report.Unexpected.Count);
        Assert.Contains("122 tensors that resnet18 does not have: module.", report.Message);
        Assert.Contains("Every name starts with 'module.', the prefix torch.nn.DataParallel and DistributedDataParallel add: export model.module.state_dict() instead.", report.Message);
    }

    [Fact]
    public void Weights_of_the_other_architecture_get_a_hint_to_import_them_as_that()
    {
        using var source = Pretrained(BackboneArchitectures.MobileNetV2);
        var path = WriteExportsd(ExportsdFile.StateOf(source));

        var report = BackboneWeights.Inspect(BackboneArchitectures.ResNet18, path);

        Assert.False(report.Fits);
        Assert.Equal("The names are those of mobilenet_v2: import the file as mobilenet_v2.", report.Hint);
    }

    [Fact]
    public void A_deeper_resnet_is_recognised()
    {
        using var source = Pretrained(BackboneArchitectures.ResNet18);
        var state = ExportsdFile.StateOf(source);
        state.Add(("layer1.2.conv1.weight", torch.zeros(64, 64, 3, 3)));

        var report = BackboneWeights.Inspect(BackboneArchitectures.ResNet18, WriteExportsd(state));

        Assert.Contains("deeper ResNet", report.Hint);
    }

    [Fact]
    public void Integer_weights_are_reported()
    {
        using var source = Pretrained(BackboneArchitectures.MobileNetV2);
        var state = ExportsdFile.StateOf(source);
        Replace(state, "features.0.1.weight", torch.ones(new long[] { 32 }, ScalarType.Int64));

        var report = BackboneWeights.Inspect(BackboneArchitectures.MobileNetV2, WriteExportsd(state));

        Assert.Equal(["features.0.1.weight"], report.NotFloatingPoint);
        Assert.Contains("stored as integers", report.Message);
    }

    [Fact]
    public void A_truncated_file_says_it_is_truncated_wherever_it_was_cut()
    {
        using var source = Pretrained(BackboneArchitectures.MobileNetV2);
        var bytes = ExportsdFile.Bytes(ExportsdFile.StateOf(source));
        using var model = Fresh(BackboneArchitectures.MobileNetV2);

        foreach (var length in new[] { 1, 3, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var path = WriteBytes(bytes[..length]);
            var error = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(model, path));
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void Garbage_and_foreign_files_are_refused_with_the_reason()
    {
        var random = new byte[100_000];
        new Random(3).NextBytes(random);
        byte[] zip = [(byte)'P', (byte)'K', 3, 4, .. random[..1000]];
        byte[] endlessNumber = [.. Enumerable.Repeat((byte)0xff, 64)];
        byte[] emptyName = [1, 0, 6, 0, 0, 0, 0, 0];
        byte[] unknownType = [1, 1, (byte)'w', 0xe7, 0x24, 0];
        byte[] hugeShape = [1, 1, (byte)'w', 6, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f];
        byte[] trailing = [1, 1, (byte)'w', 6, 0, 0, 0, 0x80, 0x3f, 42];

        var expectations = new (byte[] Bytes, string Reason)[]
        {
            (random, "TorchSharp's format"),
            (zip, "torch.save"),
            (endlessNumber, "is not a valid number"),
            (emptyName, "a name of 0 bytes"),
            (unknownType, "element type code 4711"),
            (hugeShape, "truncated"),
            (trailing, "1 bytes follow its last tensor"),
            ([], "it is empty"),
        };
        foreach (var (bytes, reason) in expectations)
        {
            var error = Assert.Throws<InvalidDataException>(() => BackboneWeights.Inspect(BackboneArchitectures.ResNet18, WriteBytes(bytes)));
            Assert.Contains(reason, error.Message);
        }
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static void Replace(List<(string Name, Tensor Value)> state, string name, Tensor value) =>
        state[state.FindIndex(e => e.Name == name)] = (name, value);
}
