using System.Text.Json;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches.Pipelines;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// A registered model version loaded into ONNX Runtime with its preprocessing: one session, created once and shared by
/// every request (<see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> is thread-safe).
/// Inputs are checked before they reach the session, so bad input is a <see cref="UserInputException"/>.
/// </summary>
public sealed class ModelPredictor : IDisposable
{
    /// <summary>Most instances or images in one request; larger batches belong to batch prediction.</summary>
    public const int MaxInstances = 256;

    private readonly InferenceSession _session;
    private readonly IInstanceReader? _instances;

    public ModelPredictor(ModelCard card, byte[] onnx, string? preprocessingJson, int threads = 1)
    {
        Card = card;
        _instances = TaskPipelines.ModelsOf(card.Task).InstanceReader(card, preprocessingJson);
        // One thread per run: many requests run side by side, and each small model finishes fastest on its caller's thread.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, options);
    }

    public ModelCard Card { get; }

    public bool TakesImages => Card.Input is not null;

    /// <summary>Predicts encoded images (PNG, JPEG, BMP, WebP, GIF); <paramref name="names"/> name them in messages.</summary>
    public IReadOnlyList<Prediction> PredictImages(IReadOnlyList<byte[]> images, IReadOnlyList<string> names)
    {
        var input = Card.Input ?? throw new UserInputException("Images not accepted",
            $"This endpoint's model reads {Describe()}, not images: send JSON {{\"instances\": [...]}}.", 415);
        CheckCount(images.Count, "images");
        var plane = input.Channels * input.Height * input.Width;
        var pixels = new float[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
            PredictionImages.DecodeToChw(images[i], names[i], input.Channels, input.Height).CopyTo(pixels, i * plane);
        var tensor = new DenseTensor<float>(pixels, [images.Count, input.Channels, input.Height, input.Width]);
        return Run([NamedOnnxValue.CreateFromTensor("pixels", tensor)], images.Count);
    }

    /// <summary>Predicts JSON instances: objects of column values (tabular) or <c>{"text": "..."}</c> (text).</summary>
    public IReadOnlyList<Prediction> PredictInstances(IReadOnlyList<JsonElement> instances)
    {
        if (TakesImages)
            throw new UserInputException("Instances not accepted",
                "This endpoint's model reads images: send them as multipart form files named \"file\", or as base64 in {\"images\": [\"...\"]}.", 415);
        CheckCount(instances.Count, "instances");
        var reader = _instances ?? throw new InvalidDataException($"The model's task '{Card.Task}' reads no instances.");
        return Run(reader.Read(instances), instances.Count);
    }

    /// <summary>What an instance must carry, in words.</summary>
    public string Describe() => TakesImages
        ? $"{Card.Input!.ColorMode} images, resized to {Card.Input.Width}×{Card.Input.Height}"
        : _instances?.Describe() ?? $"instances of {Card.Task}";

    private IReadOnlyList<Prediction> Run(IReadOnlyCollection<NamedOnnxValue> inputs, int count)
    {
        using var results = _session.Run(inputs);
        var output = results[0].AsTensor<float>();
        var predictions = new Prediction[count];
        if (_instances?.Regression == true)
        {
            for (var i = 0; i < count; i++) predictions[i] = new Prediction(null, null, null, output[i, 0]);
            return predictions;
        }
        var classes = Card.Classes;
        for (var i = 0; i < count; i++)
        {
            var scores = new Dictionary<string, double>(classes.Count);
            var best = 0;
            for (var k = 0; k < classes.Count; k++)
            {
                scores[classes[k]] = output[i, k];
                if (output[i, k] > output[i, best]) best = k;
            }
            predictions[i] = new Prediction(classes[best], output[i, best], scores);
        }
        return predictions;
    }

    private static void CheckCount(int count, string what)
    {
        if (count == 0) throw new UserInputException($"No {what}", $"The request carries no {what}; send at least one.");
        if (count > MaxInstances)
            throw new UserInputException($"Too many {what}",
                $"One request can carry at most {MaxInstances} {what}; this one has {count}. Split it, or use batch prediction for large sets.", 413);
    }

    public void Dispose() => _session.Dispose();
}
