namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>What to order: the model's view of each unlabeled item and how to pick the next batch to label.</summary>
/// <param name="Probabilities">
/// Class probabilities per unlabeled item (one array per item, all of one length, at least 2 classes, finite and not
/// negative; each is divided by its sum, so softmax rounding does not matter). For <c>random</c> only the count is read
/// and the arrays may be empty.
/// </param>
/// <param name="Strategy">One of <see cref="LabelingQueue.Strategies"/>.</param>
/// <param name="BatchSize">How many items the next batch holds (the diverse part of the order); larger than the pool means all of it.</param>
/// <param name="Seed">Breaks ties in score and orders <c>random</c>: the same seed gives the same order.</param>
/// <param name="DiversityWeight">
/// How much a candidate's likeness to items already in the batch counts against its uncertainty (both lie in [0, 1]);
/// 0 orders by uncertainty alone. Not read for <c>random</c> or <c>badge</c> (whose k-means++ seeding has no weight).
/// </param>
/// <param name="Embeddings">
/// One vector per item that says what it looks like to the model (e.g. <see cref="PoolScoring"/>'s penultimate
/// features); null uses the probability vectors, which tells confusions apart but not items confused the same way.
/// For <c>badge</c> they are the h of the gradient embedding (p − onehot) ⊗ h; null stands for h = [1], the gradient of
/// the output biases, which is p − onehot alone.
/// </param>
/// <param name="ClassNames">Names for the "why" texts, in class-index order; null writes "class 3".</param>
public sealed record LabelingRequest(
    IReadOnlyList<float[]> Probabilities,
    string Strategy,
    int BatchSize,
    int Seed,
    double DiversityWeight = LabelingQueue.DefaultDiversityWeight,
    IReadOnlyList<float[]>? Embeddings = null,
    IReadOnlyList<string>? ClassNames = null);

/// <summary>One item of a labeling order.</summary>
/// <param name="Index">The item's index in <see cref="LabelingRequest.Probabilities"/>.</param>
/// <param name="Uncertainty">The strategy's score in [0, 1], higher is less sure (0 for <c>random</c>).</param>
/// <param name="Why">A short reason for a person, e.g. "top two classes shirt 41% / t-shirt 38%".</param>
public sealed record RankedItem(int Index, double Uncertainty, string Why);
