using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Learners;

/// <summary>The studio's own convolutional networks: the CNN cell space (<see cref="CnnParameterSpace"/>) at the images' size.</summary>
public sealed class CnnLearner : ImageLearner
{
    public const string LearnerName = "cnn";

    public override string Name => LearnerName;

    public override ParameterSpace Space(DataProfile profile) => CnnParameterSpace.Create(Context(profile));

    protected override TrialConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var config = CnnParameterSpace.Decode(point, Context(profile));
        (parameters, flops) = (CnnSearchSpace.CountParameters(config.Architecture), CnnSearchSpace.CountFlops(config.Architecture));
        return config;
    }

    protected override ParameterSet Encode(TrialConfig config) => CnnParameterSpace.Encode(config);

    internal static SearchSpaceContext Context(DataProfile profile) =>
        profile.Images ?? throw new ArgumentException("An image learner needs the images' size, channels and statistics.", nameof(profile));
}
