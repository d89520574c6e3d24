using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Training;

/// <summary>Checks of a tabular or text training request that do not depend on the model family.</summary>
internal static class TrainingChecks
{
    public static void Validate(TrainingSettings settings, SupervisedTargets train, SupervisedTargets validation, string checkpointFolder, string metric)
    {
        if (settings.Epochs < 1) throw new ArgumentException("Training needs at least one epoch.");
        if (settings.BatchSize < 1) throw new ArgumentException("Batch size must be at least 1.");
        if (settings.LearningRate <= 0) throw new ArgumentException("Learning rate must be positive.");
        if (train.Count == 0) throw new ArgumentException("The training set is empty.");
        if (validation.Count == 0) throw new ArgumentException("The validation set is empty.");
        if (string.IsNullOrWhiteSpace(checkpointFolder)) throw new ArgumentException("A checkpoint folder is required.");
        if (!SupervisedMetrics.Fits(metric, train.Task))
            throw new ArgumentException($"Metric '{metric}' does not fit {train.Task.ToString().ToLowerInvariant()}.");
    }
}
