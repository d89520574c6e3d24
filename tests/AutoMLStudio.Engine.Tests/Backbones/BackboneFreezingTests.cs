using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Backbones;
using TorchSharp;
using TorchSharp.Modules;

namespace AutoMLStudio.Engine.Tests.Backbones;

[Collection(TorchCollection.Name)]
public sealed class BackboneFreezingTests
{
    public BackboneFreezingTests() => TorchNative.EnsureLoaded();

    private static BackboneClassifier Build(string architecture)
    {
        torch.manual_seed(1);
        return BackboneFactory.Build(new BackboneSpec(architecture, 1, 28, 12));
    }

    // ResNet-18: head 512 x 12 + 12; layer4 = 3x3 convs 256->512 and 3 x 512->512, a 1x1 shortcut 256->512, 5 batch norms.
    // MobileNetV2: head 1280 x 12 + 12; features.14-18 = the 160-channel blocks (155,264 + 2 x 320,000), the 320 one
    // (473,920) and the final 1x1 conv (409,600 + 2,560).
    [Theory]
    [InlineData(BackboneArchitectures.ResNet18, FreezeMode.Frozen, 6_156, 0)]
    [InlineData(BackboneArchitectures.ResNet18, FreezeMode.Partial, 6_156, 8_393_728)]
    [InlineData(BackboneArchitectures.ResNet18, FreezeMode.Full, 6_156, 11_176_512)]
    [InlineData(BackboneArchitectures.MobileNetV2, FreezeMode.Frozen, 15_372, 0)]
    [InlineData(BackboneArchitectures.MobileNetV2, FreezeMode.Partial, 15_372, 1_681_344)]
    [InlineData(BackboneArchitectures.MobileNetV2, FreezeMode.Full, 15_372, 2_223_872)]
    public void Each_mode_trains_the_head_and_its_share_of_the_backbone(string architecture, FreezeMode mode, long head, long backbone)
    {
        using var model = Build(architecture);

        var trainable = model.Freeze(mode);

        Assert.Equal(head, trainable.Head.Sum(p => p.numel()));
        Assert.Equal(backbone, trainable.Backbone.Sum(p => p.numel()));
        Assert.Equal(head + backbone, trainable.Count);
        Assert.Equal(head + backbone, model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
        Assert.Equal(mode, model.FreezeMode);
    }

    [Fact]
    public void Partial_fine_tuning_keeps_frozen_batch_norms_in_evaluation_mode_through_train()
    {
        using var model = Build(BackboneArchitectures.ResNet18);
        model.Freeze(FreezeMode.Partial);

        model.train();

        var norms = model.named_modules().Where(m => m.module is BatchNorm2d).ToDictionary(m => m.name, m => m.module.training);
        Assert.True(model.training);
        Assert.All(norms.Where(n => n.Key.StartsWith("layer4.", StringComparison.Ordinal)), n => Assert.True(n.Value, n.Key));
        Assert.All(norms.Where(n => !n.Key.StartsWith("layer4.", StringComparison.Ordinal)), n => Assert.False(n.Value, n.Key));

        model.Freeze(FreezeMode.Full);
        Assert.All(model.named_modules().Where(m => m.module is BatchNorm2d), m => Assert.True(m.module.training, m.name));
    }

    [Theory]
    [InlineData(BackboneArchitectures.ResNet18, "layer2.1.bn1")]
    [InlineData(BackboneArchitectures.MobileNetV2, "features.5.conv.1.1")]
    public void A_frozen_backbone_step_changes_neither_its_weights_nor_its_statistics_and_gives_it_no_gradients(string architecture, string norm)
    {
        using var model = Build(architecture);
        var trainable = model.Freeze(FreezeMode.Frozen);
        model.train();
        var runningMean = ((BatchNorm2d)model.named_modules().Single(m => m.name == norm).module).running_mean!;
        var before = runningMean.clone();
        using var scope = torch.NewDisposeScope();

        var loss = torch.nn.functional.cross_entropy(model.forward(torch.rand(4, 1, 28, 28)), torch.tensor(new long[] { 0, 1, 2, 3 }));
        loss.backward();

        Assert.True(before.eq(runningMean).all().item<bool>(), $"{norm}'s running mean moved");
        Assert.All(trainable.Head, p => Assert.NotNull(p.grad));
        Assert.All(model.named_parameters().Where(p => !p.name.StartsWith(model.HeadName + ".", StringComparison.Ordinal)),
            p => Assert.True(p.parameter.grad is null, $"{p.name} got a gradient"));
    }
}
