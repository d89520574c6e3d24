using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Text;

/// <summary>Generated reviews whose class is told by a few words among shared filler.</summary>
internal static class TextTestData
{
    private static readonly string[] Positive = ["great", "excellent", "lovely", "superb", "wonderful"];
    private static readonly string[] Negative = ["awful", "terrible", "broken", "horrible", "useless"];
    private static readonly string[] Filler = ["the", "product", "was", "a", "bit", "and", "it", "arrived", "on", "time", "box", "color"];

    /// <summary>Class 1 texts hold a positive word, class 0 texts a negative one, both among random filler.</summary>
    public static TextExamples Reviews(int count, int seed)
    {
        var rng = new Random(seed);
        var texts = new string?[count];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            var words = Enumerable.Range(0, rng.Next(3, 12)).Select(_ => Filler[rng.Next(Filler.Length)]).ToList();
            var cue = labels[i] == 1 ? Positive[rng.Next(Positive.Length)] : Negative[rng.Next(Negative.Length)];
            words.Insert(rng.Next(words.Count + 1), rng.Next(2) == 0 ? cue : cue.ToUpperInvariant() + "!");
            texts[i] = string.Join(' ', words);
        }
        return new TextExamples(texts, SupervisedTargets.Classes(labels, 2));
    }

    public static TextClassifierArchitecture Bag(int vocabulary, int classes = 2, int bigramBuckets = 0, int hidden = 0) =>
        new(TextModelFamilies.EmbeddingBag, vocabulary, classes, 64, 16, bigramBuckets, hidden, 0, 0, 0.1);

    public static TextClassifierArchitecture Cnn(int vocabulary, int classes = 2, int kernel = 3) =>
        new(TextModelFamilies.Cnn, vocabulary, classes, 64, 16, 0, 0, kernel, 24, 0.1);
}
