using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Backbones;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Backbones;

[Collection(TorchCollection.Name)]
public sealed class BackboneArchitectureTests
{
    public BackboneArchitectureTests() => TorchNative.EnsureLoaded();

    private static BackboneClassifier Build(string architecture, int classes = BackboneArchitectures.ImageNetClasses, int channels = 3, int size = 32)
    {
        torch.manual_seed(1);
        return BackboneFactory.Build(new BackboneSpec(architecture, channels, size, classes));
    }

    private static Dictionary<string, long[]> Shapes(torch.nn.Module module) => module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

    /// <summary>torchvision's resnet18().state_dict(), written out from torchvision/models/resnet.py.</summary>
    private static Dictionary<string, long[]> TorchvisionResNet18()
    {
        var expected = new Dictionary<string, long[]>();
        void Conv(string name, params long[] shape) => expected[$"{name}.weight"] = shape;
        void Bn(string name, long channels)
        {
            expected[$"{name}.weight"] = [channels];
            expected[$"{name}.bias"] = [channels];
            expected[$"{name}.running_mean"] = [channels];
            expected[$"{name}.running_var"] = [channels];
            expected[$"{name}.num_batches_tracked"] = [];
        }

        Conv("conv1", 64, 3, 7, 7); Bn("bn1", 64);
        Conv("layer1.0.conv1", 64, 64, 3, 3); Bn("layer1.0.bn1", 64); Conv("layer1.0.conv2", 64, 64, 3, 3); Bn("layer1.0.bn2", 64);
        Conv("layer1.1.conv1", 64, 64, 3, 3); Bn("layer1.1.bn1", 64); Conv("layer1.1.conv2", 64, 64, 3, 3); Bn("layer1.1.bn2", 64);
        Conv("layer2.0.conv1", 128, 64, 3, 3); Bn("layer2.0.bn1", 128); Conv("layer2.0.conv2", 128, 128, 3, 3); Bn("layer2.0.bn2", 128);
        Conv("layer2.0.downsample.0", 128, 64, 1, 1); Bn("layer2.0.downsample.1", 128);
        Conv("layer2.1.conv1", 128, 128, 3, 3); Bn("layer2.1.bn1", 128); Conv("layer2.1.conv2", 128, 128, 3, 3); Bn("layer2.1.bn2", 128);
        Conv("layer3.0.conv1", 256, 128, 3, 3); Bn("layer3.0.bn1", 256); Conv("layer3.0.conv2", 256, 256, 3, 3); Bn("layer3.0.bn2", 256);
        Conv("layer3.0.downsample.0", 256, 128, 1, 1); Bn("layer3.0.downsample.1", 256);
        Conv("layer3.1.conv1", 256, 256, 3, 3); Bn("layer3.1.bn1", 256); Conv("layer3.1.conv2", 256, 256, 3, 3); Bn("layer3.1.bn2", 256);
        Conv("layer4.0.conv1", 512, 256, 3, 3); Bn("layer4.0.bn1", 512); Conv("layer4.0.conv2", 512, 512, 3, 3); Bn("layer4.0.bn2", 512);
        Conv("layer4.0.downsample.0", 512, 256, 1, 1); Bn("layer4.0.downsample.1", 512);
        Conv("layer4.1.conv1", 512, 512, 3, 3); Bn("layer4.1.bn1", 512); Conv("layer4.1.conv2", 512, 512, 3, 3); Bn("layer4.1.bn2", 512);
        expected["fc.weight"] = [1000, 512];
        expected["fc.bias"] = [1000];
        return expected;
    }

    [Fact]
    public void ResNet18_has_torchvisions_state_dict_names_and_shapes_exactly()
    {
        using var model = Build(BackboneArchitectures.ResNet18);

        var actual = Shapes(model);
        var expected = TorchvisionResNet18();

        Assert.Equal(122, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, kv => Assert.True(kv.Value.SequenceEqual(actual[kv.Key]), $"{kv.Key}: [{string.Join(", ", actual[kv.Key])}]"));
        Assert.Equal(11_689_512, model.parameters().Sum(p => p.numel()));
        Assert.Equal(torch.ScalarType.Int64, model.state_dict()["layer2.0.downsample.1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void MobileNetV2_has_torchvisions_state_dict_names_shapes_and_parameter_count()
    {
        using var model = Build(BackboneArchitectures.MobileNetV2);

        var actual = Shapes(model);

        // 52 convolutions without bias, 52 batch norms of 5 tensors each, and the linear head's 2.
        Assert.Equal(52 + 52 * 5 + 2, actual.Count);
        Assert.Equal(3_504_872, model.parameters().Sum(p => p.numel()));
        Assert.Equal([32, 3, 3, 3], actual["features.0.0.weight"]);
        Assert.Equal([32], actual["features.0.1.running_var"]);
        Assert.Equal([32, 1, 3, 3], actual["features.1.conv.0.0.weight"]);
        Assert.Equal([16, 32, 1, 1], actual["features.1.conv.1.weight"]);
        Assert.Equal([16], actual["features.1.conv.2.bias"]);
        Assert.Equal([96, 16, 1, 1], actual["features.2.conv.0.0.weight"]);
        Assert.Equal([96, 1, 3, 3], actual["features.2.conv.1.0.weight"]);
        Assert.Equal([24, 96, 1, 1], actual["features.2.conv.2.weight"]);
        Assert.Equal([], actual["features.2.conv.3.num_batches_tracked"]);
        Assert.Equal([960, 1, 3, 3], actual["features.16.conv.1.0.weight"]);
        Assert.Equal([320, 960, 1, 1], actual["features.17.conv.2.weight"]);
        Assert.Equal([1280, 320, 1, 1], actual["features.18.0.weight"]);
        Assert.Equal([1280], actual["features.18.1.running_mean"]);
        Assert.Equal([1000, 1280], actual["classifier.1.weight"]);
        Assert.Equal([1000], actual["classifier.1.bias"]);
        Assert.DoesNotContain(actual.Keys, k => k.StartsWith("features.19.", StringComparison.Ordinal) || k.StartsWith("classifier.0.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18, "fc", 512)]
    [InlineData(BackboneArchitectures.MobileNetV2, "classifier.1", 1280)]
    public void The_new_head_has_one_output_per_class_and_the_rest_stays_torchvisions(string architecture, string head, long features)
    {
        using var imageNet = Build(architecture);
        using var model = Build(architecture, classes: 12);
        using var scope = torch.NewDisposeScope();
        model.eval();

        var logits = model.forward(torch.rand(2, 3, 32, 32));

        Assert.Equal([2, 12], logits.shape);
        Assert.Equal(head, model.HeadName);
        Assert.Equal([12, features], model.state_dict()[$"{head}.weight"].shape);
        Assert.Equal([12], model.state_dict()[$"{head}.bias"].shape);
        var others = Shapes(model).Where(kv => !kv.Key.StartsWith(head + ".", StringComparison.Ordinal));
        var imageNetShapes = Shapes(imageNet);
        Assert.All(others, kv => Assert.Equal(imageNetShapes[kv.Key], kv.Value));
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18)]
    [InlineData(BackboneArchitectures.MobileNetV2)]
    public void A_gray_28_pixel_batch_trains_a_step_with_a_gradient_for_every_parameter(string architecture)
    {
        using var model = Build(architecture, classes: 10, channels: 1, size: 28);
        model.train();
        using var scope = torch.NewDisposeScope();
        var pixels = torch.rand(4, 1, 28, 28);
        var labels = torch.tensor(new long[] { 0, 3, 7, 9 });

        var loss = torch.nn.functional.cross_entropy(model.forward(pixels), labels);
        loss.backward();

        Assert.True(double.IsFinite(loss.item<float>()));
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null, $"{p.name} has no gradient"));
        Assert.Equal([4, model.FeatureWidth], model.ExtractFeatures(pixels).shape);
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18)]
    [InlineData(BackboneArchitectures.MobileNetV2)]
    public void Gray_input_computes_what_its_gray_value_repeated_into_red_green_and_blue_does(string architecture)
    {
        using var model = Build(architecture, classes: 3, channels: 1);
        StandInWeights.Apply(model);
        using var scope = torch.NewDisposeScope();
        var pixels = torch.rand(3, 1, 32, 32);

        var fromGray = model.forward(pixels);
        var fromRgb = model.forward(pixels.expand(-1, 3, -1, -1));

        Assert.True(StandInWeights.Spread(fromGray) > 0.01, "the output must depend on the image");
        Assert.True(torch.allclose(fromGray, fromRgb, rtol: 1e-5, atol: 1e-6), "a gray image must give what its RGB copy gives");
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18, 12, 11_176_512 + 513 * 12)]
    [InlineData(BackboneArchitectures.MobileNetV2, 12, 2_223_872 + 1_281 * 12)]
    [InlineData(BackboneArchitectures.ResNet18, 1000, 11_689_512)]
    [InlineData(BackboneArchitectures.MobileNetV2, 1000, 3_504_872)]
    public void Parameter_count_without_building_equals_the_modules(string architecture, int classes, long expected)
    {
        using var model = Build(architecture, classes);

        Assert.Equal(expected, BackboneCost.CountParameters(new BackboneSpec(architecture, 1, 28, classes)));
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Flops_are_the_published_counts_at_224_pixels_and_grow_with_the_working_size()
    {
        // ResNet-18 by hand: conv1 118,013,952; layer1 4 x 115,605,504; layers 2-4 3 x (57,802,752 + 3 x 115,605,504
        // + a 1x1 shortcut of 6,422,528), the same at each stage; fc 512,000.
        Assert.Equal(1_814_073_344, BackboneCost.CountFlops(new BackboneSpec(BackboneArchitectures.ResNet18, 3, 224, 1000)));
        // MobileNetV2's paper: 300M multiply-adds.
        var mobileNet = BackboneCost.CountFlops(new BackboneSpec(BackboneArchitectures.MobileNetV2, 3, 224, 1000));
        Assert.InRange(mobileNet, 299_000_000, 302_000_000);

        // A 28-pixel image runs at the 64-pixel minimum: resnet18 at 64 is conv1 at 32x32 and so on.
        var small = BackboneCost.CountFlops(new BackboneSpec(BackboneArchitectures.ResNet18, 1, 28, 10));
        Assert.Equal(BackboneCost.CountFlops(new BackboneSpec(BackboneArchitectures.ResNet18, 1, 64, 10)), small);
        Assert.Equal(64L * 3 * 49 * 32 * 32, BackboneCost.CountFlops(new BackboneSpec(BackboneArchitectures.ResNet18, 1, 64, 10)) - RestOfResNet18At64());
    }

    // Everything after conv1 at 64 pixels: maxpool to 16, then stage sides 16, 8, 4, 2; fc 512 x 10.
    private static long RestOfResNet18At64() =>
        4L * 64 * 64 * 9 * 16 * 16
        + (128L * 64 * 9 + 3L * 128 * 128 * 9 + 128L * 64) * 8 * 8
        + (256L * 128 * 9 + 3L * 256 * 256 * 9 + 256L * 128) * 4 * 4
        + (512L * 256 * 9 + 3L * 512 * 512 * 9 + 512L * 256) * 2 * 2
        + 512L * 10;

    [Fact]
    public void An_unknown_architecture_or_too_few_classes_are_refused_with_the_valid_names()
    {
        var unknown = Assert.Throws<ArgumentException>(() => BackboneFactory.Build(new BackboneSpec("resnet50", 3, 32, 10)));
        Assert.Contains("resnet18, mobilenet_v2", unknown.Message);
        Assert.Throws<ArgumentException>(() => BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.ResNet18, 3, 32, 1)));
    }
}
