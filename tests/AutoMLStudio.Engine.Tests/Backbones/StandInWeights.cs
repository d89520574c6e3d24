using AutoMLStudio.Engine.Backbones;
using TorchSharp;
using TorchSharp.Modules;

namespace AutoMLStudio.Engine.Tests.Backbones;

/// <summary>
/// Weights that stand in for trained ones: batch norms with random affine weights and statistics measured on random
/// images, and a head whose logits are about unit size. A fresh module will not do: its norms are the identity, under
/// which a wrong input order or a missing epsilon still passes, and its MobileNetV2 head gives logits near 0. Random
/// statistics (<see cref="Onnx.OnnxParity.RandomizeBatchNorms"/>) will not do either: they drive MobileNetV2's ReLU6s
/// to 0 or 6 everywhere, so every image gets the same output, which any graph or loader reproduces.
/// </summary>
internal static class StandInWeights
{
    public static void Apply(BackboneClassifier model)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (_, module) in model.named_modules())
        {
            if (module is not NormBase norm) continue;
            norm.momentum = 1.0; // the running statistics become those of the one batch below
            norm.weight.uniform_(0.5, 1.5);
            norm.bias!.normal_(0, 0.2);
        }
        model.get_parameter($"{model.HeadName}.weight")!.normal_(0, 2 / Math.Sqrt(model.FeatureWidth));
        model.train();
        model.forward(torch.rand(8, model.Spec.InputChannels, model.Spec.InputSize, model.Spec.InputSize));
        model.eval();
        foreach (var (_, module) in model.named_modules())
        {
            if (module is NormBase norm) norm.momentum = 0.1;
        }
    }

    /// <summary>The mean over the batch of each logit's standard deviation: near 0 when the output ignores the image.</summary>
    public static float Spread(torch.Tensor logits) => logits.std(0).mean().item<float>();
}
