using System.Globalization;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using static AutoMLStudio.Engine.Search.SpaceValues;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A pretrained backbone (ResNet-18, MobileNetV2) with a new head, fine-tuned from imported weights: its space is which
/// backbone, how much of it learns (<see cref="FineTuneSettings.BackboneModes"/>), how fast its pretrained layers learn
/// against the head (<see cref="BackboneCandidates.LearningRateScales"/>), the learning rate and the batch size. It
/// trains from <see cref="TrainingSetup.InitialWeights"/>, the imported file of its backbone.
/// </summary>
public sealed class BackboneLearner : ImageLearner
{
    public const string LearnerName = "backbone";

    private static readonly string[] ScaleChoices = [.. BackboneCandidates.LearningRateScales.Select(s => s.ToString(CultureInfo.InvariantCulture))];
    private static readonly string[] BatchChoices = Texts(16, 32, 64);

    public override string Name => LearnerName;

    public override ParameterSpace Space(DataProfile profile) => new(
        ParameterDimension.Categorical("backbone", [.. BackboneArchitectures.All]),
        ParameterDimension.Categorical("train", [.. FineTuneSettings.BackboneModes]),
        ParameterDimension.Categorical("learningRateScale", ScaleChoices),
        ParameterDimension.FloatRange("learningRate", 1e-4, 1e-2, log: true),
        ParameterDimension.Categorical("batchSize", BatchChoices));

    protected override TrialConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var ctx = CnnLearner.Context(profile);
        var architecture = new CnnArchitecture(ctx.InputChannels, ctx.InputSize, ctx.ClassCount, [], 0, 0, ctx.Mean, ctx.Std,
            Backbone: point.GetString("backbone"));
        var mode = point.GetString("train");
        // A frozen backbone only trains its head: the rate of its pretrained layers does not apply.
        var fineTune = mode == FineTuneSettings.Head
            ? new FineTuneSettings(mode)
            : new FineTuneSettings(mode, double.Parse(point.GetString("learningRateScale"), CultureInfo.InvariantCulture));
        (parameters, flops) = (CnnSearchSpace.CountParameters(architecture), CnnSearchSpace.CountFlops(architecture));
        return new TrialConfig(architecture, new TrainingSettings("adam", point.GetDouble("learningRate"), 0, Int(point, "batchSize"), ctx.MaxEpochs), fineTune);
    }

    protected override ParameterSet Encode(TrialConfig config)
    {
        var fineTune = config.FineTune ?? new FineTuneSettings(FineTuneSettings.Full);
        var scale = BackboneCandidates.LearningRateScales.MinBy(s => Math.Abs(Math.Log(s) - Math.Log(fineTune.LearningRateScale)));
        return new ParameterSet(new KeyValuePair<string, object>[]
        {
            new("backbone", config.Architecture.Backbone ?? BackboneArchitectures.All[0]),
            new("train", FineTuneSettings.BackboneModes.Contains(fineTune.Train) ? fineTune.Train : FineTuneSettings.Full),
            new("learningRateScale", scale.ToString(CultureInfo.InvariantCulture)),
            new("learningRate", Math.Clamp(config.Training.LearningRate, 1e-4, 1e-2)),
            new("batchSize", Nearest(config.Training.BatchSize, BatchChoices)),
        });
    }
}
