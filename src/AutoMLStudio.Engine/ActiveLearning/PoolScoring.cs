using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>A trained model's view of an unlabeled pool, in pool order.</summary>
/// <param name="Probabilities">Softmax class probabilities per item.</param>
/// <param name="Embeddings">
/// Per item, what enters the output layer: the dense layer's activations, or without one the flattened (or globally
/// pooled) feature map, which can be thousands of values wide; score a large pool in parts when that is so.
/// </param>
public sealed record PoolScores(float[][] Probabilities, float[][] Embeddings);

/// <summary>Runs a trained <see cref="CnnArchitecture"/> over unlabeled images for <see cref="LabelingQueue"/>.</summary>
public static class PoolScoring
{
    private const int BatchSize = 256;
    private const string OutputLayer = "output";

    /// <summary>
    /// Loads <paramref name="weightsPath"/> (as <see cref="Training.ImageClassifierTrainer"/> saves it) and scores every
    /// image of <paramref name="images"/> in evaluation mode; their labels are not read. Uses the torch threads the
    /// process has set.
    /// </summary>
    /// <exception cref="ArgumentException">The images do not have the shape the architecture expects.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="weightsPath"/>.</exception>
    public static PoolScores Score(CnnArchitecture architecture, string weightsPath, ImageTensorData images, Device device)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(device);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No weights at {weightsPath}.", weightsPath);
        if (images.Channels != architecture.InputChannels || images.Size != architecture.InputSize)
            throw new ArgumentException(
                $"The pool holds {images.Channels}x{images.Size}x{images.Size} images but the model expects " +
                $"{architecture.InputChannels}x{architecture.InputSize}x{architecture.InputSize}.", nameof(images));

        TorchNative.EnsureLoaded();
        using var model = CnnModelFactory.Build(architecture);
        model.load(weightsPath);
        model.to(device);
        model.eval();
        // The factory's model is one flat sequence ending in the "output" linear layer (see CnnModelFactory.Build);
        // running its children one by one lets the input of that layer be kept without hooks.
        var layers = model.named_children().Select(c => (c.name, Module: (nn.Module<Tensor, Tensor>)c.module)).ToList();
        if (layers.Count == 0 || layers[^1].name != OutputLayer)
            throw new InvalidOperationException($"Expected the model to end with its '{OutputLayer}' layer.");

        var probabilities = new float[images.Count][];
        var embeddings = new float[images.Count][];
        using var noGrad = torch.no_grad();
        for (var start = 0; start < images.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, images.Count - start);
            using var scope = torch.NewDisposeScope();
            var pixels = images.Pixels.AsSpan(start * images.ImageLength, count * images.ImageLength).ToArray();
            var x = torch.tensor(pixels, [count, images.Channels, images.Size, images.Size], device: device);
            foreach (var (_, layer) in layers.SkipLast(1)) x = layer.forward(x);
            var logits = layers[^1].Module.forward(x);
            var features = x.cpu().data<float>().ToArray();
            var probs = nn.functional.softmax(logits, 1).cpu().data<float>().ToArray();
            var width = features.Length / count;
            var classes = architecture.ClassCount;
            for (var i = 0; i < count; i++)
            {
                embeddings[start + i] = features.AsSpan(i * width, width).ToArray();
                probabilities[start + i] = probs.AsSpan(i * classes, classes).ToArray();
            }
        }
        return new PoolScores(probabilities, embeddings);
    }

    /// <summary>
    /// A committee's view of the pool: per item the mean of the members' class probabilities (the ensemble's
    /// prediction, whose margin is a better measure of doubt than one network's: an item counts as a near-tie only when
    /// the members agree it is one or disagree about it), and the first member's embeddings.
    /// <para>
    /// The embeddings are not averaged: separately trained networks do not share hidden units (any permutation of one
    /// network's dense layer is the same network), so the mean of their activations is no feature of anything. One
    /// member's embedding space is self-consistent, which is all the diversity term's cosine similarities need.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">No members, or members that scored pools of different sizes or class counts.</exception>
    public static PoolScores Committee(IReadOnlyList<PoolScores> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("A committee needs at least one member.", nameof(members));
        var first = members[0];
        var count = first.Probabilities.Length;
        var classes = count > 0 ? first.Probabilities[0].Length : 0;
        for (var m = 1; m < members.Count; m++)
        {
            var probabilities = members[m].Probabilities;
            if (probabilities.Length != count)
                throw new ArgumentException($"Member {m} scored {probabilities.Length} items but member 0 scored {count}.", nameof(members));
            for (var i = 0; i < count; i++)
                if (probabilities[i].Length != classes)
                    throw new ArgumentException($"Member {m} has {probabilities[i].Length} class probabilities for item {i} but member 0 has {classes}.", nameof(members));
        }

        var mean = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var sum = new double[classes];
            foreach (var member in members)
                for (var c = 0; c < classes; c++) sum[c] += member.Probabilities[i][c];
            mean[i] = Array.ConvertAll(sum, s => (float)(s / members.Count));
        }
        return new PoolScores(mean, first.Embeddings);
    }
}
