using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// The pooled features of a frozen backbone for every training and validation image, computed once so that each epoch
/// trains only the head on them. Exact, not an approximation: a frozen backbone has no dropout and keeps its batch
/// norms in evaluation mode (<see cref="BackboneClassifier.train"/>), so it maps an image to the same features in
/// every epoch. Only without augmentation, which would change the images each epoch. On a CPU this turns an epoch of
/// a frozen ResNet-18 (about 150 M multiply-adds an image at 64 pixels) into one of a linear layer.
/// </summary>
public sealed class FrozenFeatures : IDisposable
{
    private const int ExtractionBatch = 128;

    private readonly BackboneClassifier _model;
    private readonly Tensor _train, _validation;
    private readonly ImageTensorData _trainData, _validationData;
    private readonly Device _device;

    private FrozenFeatures(BackboneClassifier model, ImageTensorData train, ImageTensorData validation, Device device, CancellationToken ct)
    {
        (_model, _trainData, _validationData, _device) = (model, train, validation, device);
        _train = Extract(train, ct);
        try
        {
            _validation = Extract(validation, ct);
        }
        catch
        {
            _train.Dispose();
            throw;
        }
    }

    /// <summary>Features for <paramref name="model"/> when it is a frozen backbone trained without augmentation; else null.</summary>
    public static FrozenFeatures? TryCreate(nn.Module model, TrainingRequest request, CancellationToken ct) =>
        model is BackboneClassifier { FreezeMode: FreezeMode.Frozen } backbone && !request.Config.Training.Augmentation.IsActive
            ? new FrozenFeatures(backbone, request.Train, request.Validation, request.Device, ct)
            : null;

    /// <summary>Logits of the training images <c>order[start..start+count]</c> and their labels.</summary>
    public (Tensor Logits, Tensor Labels) Train(int[] order, int start, int count) => Logits(_train, _trainData, order.AsSpan(start, count));

    /// <summary>Logits of the validation images <c>start..start+count</c> and their labels.</summary>
    public (Tensor Logits, Tensor Labels) Validation(int start, int count) =>
        Logits(_validation, _validationData, Enumerable.Range(start, count).ToArray());

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
    }

    private (Tensor Logits, Tensor Labels) Logits(Tensor features, ImageTensorData data, ReadOnlySpan<int> items)
    {
        var rows = new long[items.Length];
        var labels = new long[items.Length];
        for (var i = 0; i < items.Length; i++) (rows[i], labels[i]) = (items[i], data.Labels[items[i]]);
        using var index = torch.tensor(rows, device: _device);
        return (_model.ClassifyFeatures(features.index_select(0, index)), torch.tensor(labels, device: _device));
    }

    private Tensor Extract(ImageTensorData data, CancellationToken ct)
    {
        var length = data.ImageLength;
        var result = torch.empty(data.Count, _model.FeatureWidth, device: _device);
        var training = _model.training;
        _model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            for (var start = 0; start < data.Count; start += ExtractionBatch)
            {
                ct.ThrowIfCancellationRequested();
                var count = Math.Min(ExtractionBatch, data.Count - start);
                using var scope = torch.NewDisposeScope();
                var pixels = torch.tensor(data.Pixels.AsSpan((int)((long)start * length), count * length).ToArray(),
                    [count, data.Channels, data.Size, data.Size], device: _device);
                result.narrow(0, start, count).copy_(_model.ExtractFeatures(pixels));
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            _model.train(training);
        }
    }
}
